data "azurerm_subscription" "current" {}

resource "azurerm_role_definition" "automation" {
  name        = "automation-admin"
  scope       = data.azurerm_subscription.current.id
  description = "Used by the AIOps runner"

  permissions {
    actions     = ["*"] # expect: az-custom-role-wildcard
    not_actions = []
  }

  assignable_scopes = [data.azurerm_subscription.current.id]
}
