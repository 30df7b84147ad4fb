resource "azurerm_role_definition" "restarter" {
  name  = "web-restarter"
  scope = "/subscriptions/00000000-0000-0000-0000-000000000000"

  permissions {
    actions = [
      "Microsoft.Web/sites/read",
      "Microsoft.Web/sites/restart/action",
    ]
  }

  assignable_scopes = ["/subscriptions/00000000-0000-0000-0000-000000000000"]
}
