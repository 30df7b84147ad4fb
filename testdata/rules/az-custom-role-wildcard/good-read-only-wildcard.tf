resource "azurerm_role_definition" "inventory" {
  name  = "inventory-reader"
  scope = "/subscriptions/00000000-0000-0000-0000-000000000000"

  permissions {
    actions     = ["*/read"]
    not_actions = ["Microsoft.Authorization/*/write"]
  }

  assignable_scopes = ["/subscriptions/00000000-0000-0000-0000-000000000000"]
}
