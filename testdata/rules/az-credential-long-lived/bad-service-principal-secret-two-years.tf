resource "azuread_service_principal_password" "sync" {
  service_principal_id = azuread_service_principal.sync.id
  end_date_relative    = "17520h" # expect: az-credential-long-lived
}
