resource "azuread_application_certificate" "signer" {
  application_id = azuread_application.signer.id
  type           = "AsymmetricX509Cert"
  value          = file("${path.module}/signer.pem")
  start_date     = "2025-01-01T00:00:00Z"
  end_date       = "2028-01-01T00:00:00Z" # expect: az-credential-long-lived
}
