data "azurerm_subscription" "primary" {}

resource "azurerm_role_definition" "ops" {
  name  = "ops-everything"
  scope = data.azurerm_subscription.primary.id
  permissions {
    actions = ["*"] # expect: az-custom-role-wildcard
  }
  assignable_scopes = [data.azurerm_subscription.primary.id]
}

resource "azurerm_role_assignment" "ops_app" {
  scope              = data.azurerm_subscription.primary.id
  role_definition_id = azurerm_role_definition.ops.role_definition_resource_id # expect: az-privileged-role-assignment
  principal_id       = azurerm_linux_web_app.ops.identity[0].principal_id
}
