terraform {
  backend "azurerm" {
    storage_account_name = "acmetfstate"
    container_name       = "tfstate"
    key                  = "prod.terraform.tfstate"
    access_key           = "tEsTfIxTuRe0n0tArEaLkEy000000000000000000000000000000000000000000000000000000000000000==" # expect: az-provider-static-credentials
  }
}

variable "graph_client_secret" {
  default = "Qx78Q~fixtureSecretValueForTests.00000" # expect: az-provider-static-credentials
}

provider "azuread" {
  tenant_id     = "11111111-1111-1111-1111-111111111111"
  client_id     = "33333333-3333-3333-3333-333333333333"
  client_secret = var.graph_client_secret
}
