resource "azurerm_user_assigned_identity" "ci" {
  name                = "id-ci"
  resource_group_name = "rg-ci"
  location            = "westeurope"
}

resource "azurerm_federated_identity_credential" "all_repos" {
  name                = "github-all"
  resource_group_name = "rg-ci"
  parent_id           = azurerm_user_assigned_identity.ci.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  subject             = "repo:acme/*" # expect: az-federated-credential-broad-subject
}

resource "azurerm_federated_identity_credential" "pull_requests" {
  name                = "github-pr"
  resource_group_name = "rg-ci"
  parent_id           = azurerm_user_assigned_identity.ci.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  subject             = "repo:acme/infra:pull_request" # expect: az-federated-credential-broad-subject
}
