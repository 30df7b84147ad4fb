resource "azurerm_key_vault_secret" "webhook" {
  name         = "webhook-signing"
  value        = "w3bh00k-s1gn1ng-k3y" # expect: tf-hardcoded-credential
  key_vault_id = "kv"
}

resource "aws_ssm_parameter" "api" {
  name  = "/prod/api/key"
  type  = "SecureString"
  value = "8c1f0e2d3b4a59687766554433221100" # expect: tf-hardcoded-credential
}

resource "local_file" "deploy_key" {
  filename = "deploy_key"
  content  = <<-EOT
    -----BEGIN OPENSSH PRIVATE KEY-----
    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
    -----END OPENSSH PRIVATE KEY-----
  EOT
}
