resource "azurerm_linux_function_app" "worker" { # expect: az-workload-no-managed-identity
  name                       = "acme-worker"
  resource_group_name        = "rg-app"
  location                   = "westeurope"
  service_plan_id            = azurerm_service_plan.main.id
  storage_account_name       = azurerm_storage_account.main.name
  storage_account_access_key = azurerm_storage_account.main.primary_access_key
  site_config {}
}
