resource "azuread_application_certificate" "signer" {
  application_id = azuread_application.signer.id
  type           = "AsymmetricX509Cert"
  value          = file("${path.module}/signer.pem")
  start_date     = "2025-01-01T00:00:00Z"
  end_date       = "2025-12-31T00:00:00Z"
}

resource "azuread_service_principal_password" "sync" {
  service_principal_id = azuread_service_principal.sync.id
  end_date_relative    = "8760h"
}
