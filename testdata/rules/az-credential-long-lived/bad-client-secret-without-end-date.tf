resource "azuread_application" "ci" {
  display_name = "ci-deployer"
}

resource "azuread_application_password" "ci" { # expect: az-credential-long-lived
  application_id = azuread_application.ci.id
  display_name   = "github-actions"
}
