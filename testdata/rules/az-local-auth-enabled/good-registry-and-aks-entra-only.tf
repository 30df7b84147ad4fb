resource "azurerm_container_registry" "main" {
  name                = "acmeregistry"
  resource_group_name = "rg-platform"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = false
}

resource "azurerm_kubernetes_cluster" "main" {
  name                   = "aks-main"
  location               = "westeurope"
  resource_group_name    = "rg-platform"
  dns_prefix             = "aks-main"
  local_account_disabled = true

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = true
  }

  default_node_pool {
    name       = "system"
    node_count = 3
    vm_size    = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
