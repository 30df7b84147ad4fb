resource "azurerm_linux_web_app" "api" {
  name                = "acme-api"
  resource_group_name = "rg-app"
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.main.id
  site_config {}

  identity {
    type = "SystemAssigned"
  }
}
