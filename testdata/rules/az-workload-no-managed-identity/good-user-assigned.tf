resource "azurerm_container_group" "job" {
  name                = "nightly-report"
  location            = "westeurope"
  resource_group_name = "rg-jobs"
  os_type             = "Linux"

  container {
    name   = "report"
    image  = "acmeregistry.azurecr.io/report:1.4.2"
    cpu    = "0.5"
    memory = "1.0"
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.report.id]
  }
}
