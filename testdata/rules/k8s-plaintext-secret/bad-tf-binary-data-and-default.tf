# `binary_data` holds base64 (decoded before judging), and a variable default is a literal
# committed with the code; the finding points at the first value.
variable "webhook_token" {
  type      = string
  default   = "wh-5f2c9a7e1d3b4c6a8e0f" # expect: k8s-plaintext-secret
  sensitive = true
}

resource "kubernetes_secret" "webhook" {
  metadata {
    name = "webhook"
  }
  data = {
    token = var.webhook_token
  }
  binary_data = {
    "signing.key" = "c2lnbmluZy1rZXktNGY5YjJlN2Mx"
  }
}
