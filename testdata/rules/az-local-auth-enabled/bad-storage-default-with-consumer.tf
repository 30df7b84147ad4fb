resource "azurerm_storage_account" "functions" { # expect: az-local-auth-enabled
  name                     = "acmefunctions"
  resource_group_name      = "rg-app"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_linux_function_app" "worker" {
  name                       = "acme-worker"
  resource_group_name        = "rg-app"
  location                   = "westeurope"
  service_plan_id            = azurerm_service_plan.main.id
  storage_account_name       = azurerm_storage_account.functions.name
  storage_account_access_key = azurerm_storage_account.functions.primary_access_key
  site_config {}
}
