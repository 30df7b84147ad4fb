resource "azurerm_container_group" "job" { # expect: az-workload-no-managed-identity
  name                = "nightly-report"
  location            = "westeurope"
  resource_group_name = "rg-jobs"
  os_type             = "Linux"
  restart_policy      = "Never"

  container {
    name   = "report"
    image  = "acmeregistry.azurecr.io/report:1.4.2"
    cpu    = "0.5"
    memory = "1.0"
  }
}

resource "azurerm_automation_account" "ops" { # expect: az-workload-no-managed-identity
  name                = "aa-ops"
  location            = "westeurope"
  resource_group_name = "rg-ops"
  sku_name            = "Basic"

  identity {
    type = " "
  }
}
