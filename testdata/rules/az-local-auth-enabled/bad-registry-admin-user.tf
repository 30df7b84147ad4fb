resource "azurerm_container_registry" "main" {
  name                = "acmeregistry"
  resource_group_name = "rg-platform"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true # expect: az-local-auth-enabled
}
