variable "subscription_id" {
  type = string
}

variable "pipeline_sp_object_id" {
  type = string
}

resource "azurerm_role_assignment" "pipeline" {
  scope                = "/subscriptions/${var.subscription_id}"
  role_definition_name = "Contributor" # expect: az-privileged-role-assignment
  principal_id         = var.pipeline_sp_object_id
  principal_type       = "ServicePrincipal"
}
