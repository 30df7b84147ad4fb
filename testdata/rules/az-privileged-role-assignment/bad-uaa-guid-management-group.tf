resource "azuread_service_principal" "landing_zone" {
  client_id = azuread_application.landing_zone.client_id
}

resource "azurerm_role_assignment" "lz_uaa" {
  scope              = "/providers/Microsoft.Management/managementGroups/platform"
  role_definition_id = "/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9" # expect: az-privileged-role-assignment
  principal_id       = azuread_service_principal.landing_zone.object_id
}
