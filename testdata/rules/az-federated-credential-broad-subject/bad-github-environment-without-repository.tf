resource "azuread_application" "deploy" {
  display_name = "github-deploy"
}

resource "azuread_application_federated_identity_credential" "deploy" {
  application_id = azuread_application.deploy.id
  display_name   = "github-production"
  audiences      = ["api://AzureADTokenExchange"]
  issuer         = "https://token.actions.githubusercontent.com"
  subject        = "environment:production" # expect: az-federated-credential-broad-subject
}
