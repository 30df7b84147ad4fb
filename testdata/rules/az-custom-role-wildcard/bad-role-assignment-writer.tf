resource "azurerm_role_definition" "access_bot" {
  name  = "access-bot"
  scope = "/providers/Microsoft.Management/managementGroups/platform"

  permissions {
    actions = [
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Authorization/roleAssignments/write", # expect: az-custom-role-wildcard
    ]
  }

  assignable_scopes = ["/"]
}
