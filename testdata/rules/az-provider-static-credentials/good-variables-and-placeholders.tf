variable "client_secret" {
  type      = string
  sensitive = true
}

provider "azurerm" {
  features {}
  client_id     = "22222222-2222-2222-2222-222222222222"
  client_secret = var.client_secret
}

provider "azuread" {
  alias         = "local"
  client_secret = "changeme"
}
