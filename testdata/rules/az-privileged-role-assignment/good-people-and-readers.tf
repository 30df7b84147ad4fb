data "azurerm_subscription" "current" {}

# A person, through PIM: a human-access question.
resource "azurerm_role_assignment" "oncall_owner" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner"
  principal_id         = "11111111-1111-1111-1111-111111111111"
  principal_type       = "User"
}

resource "azurerm_role_assignment" "monitor_reader" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Monitoring Reader"
  principal_id         = azurerm_user_assigned_identity.monitor.principal_id
}
