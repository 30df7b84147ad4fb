resource "azurerm_kubernetes_cluster" "main" {
  name                   = "aks-main"
  location               = "westeurope"
  resource_group_name    = "rg-platform"
  dns_prefix             = "aks-main"
  local_account_disabled = false # expect: az-local-auth-enabled

  default_node_pool {
    name       = "system"
    node_count = 3
    vm_size    = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
