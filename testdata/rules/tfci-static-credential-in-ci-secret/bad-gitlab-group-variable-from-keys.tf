resource "google_service_account_key" "ci" {
  service_account_id = google_service_account.ci.name
}

resource "gitlab_group_variable" "gcp_key" {
  group     = "acme"
  key       = "GCP_SERVICE_ACCOUNT_KEY"
  value     = base64decode(google_service_account_key.ci.private_key) # expect: tfci-static-credential-in-ci-secret
  protected = true
  masked    = false
}

resource "azuread_application_password" "ci" {
  application_id = azuread_application.ci.id
}

resource "gitlab_project_variable" "arm_secret" {
  project = "42"
  key     = "ARM_CLIENT_SECRET"
  value   = azuread_application_password.ci.value # expect: tfci-static-credential-in-ci-secret
}

resource "gitlab_project_variable" "deploy_token" {
  project = "42"
  key     = "DEPLOY_TOKEN"
  value   = "glpat-tEsTfIxTuRe00000000" # expect: tfci-static-credential-in-ci-secret
}
