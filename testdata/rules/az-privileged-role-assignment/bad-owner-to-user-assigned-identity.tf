data "azurerm_subscription" "current" {}

resource "azurerm_user_assigned_identity" "deployer" {
  name                = "id-deployer"
  resource_group_name = "rg-platform"
  location            = "westeurope"
}

resource "azurerm_role_assignment" "deployer_owner" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner" # expect: az-privileged-role-assignment
  principal_id         = azurerm_user_assigned_identity.deployer.principal_id
}
