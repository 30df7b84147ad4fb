resource "random_password" "webhook" {
  length = 40
}

# A shared webhook secret generated for the integration, not a cloud credential.
resource "github_actions_secret" "webhook" {
  repository      = "infra"
  secret_name     = "WEBHOOK_SECRET"
  plaintext_value = random_password.webhook.result
}

# Sealed with the repository public key outside Terraform.
resource "github_actions_secret" "sealed" {
  repository      = "infra"
  secret_name     = "SLACK_WEBHOOK"
  encrypted_value = var.sealed_slack_webhook
}

variable "sealed_slack_webhook" {
  type = string
}
