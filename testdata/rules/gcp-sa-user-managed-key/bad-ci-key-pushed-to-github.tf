resource "google_service_account" "ci" {
  account_id   = "ci-deployer"
  display_name = "CI deployer"
}

resource "google_service_account_key" "ci" { # expect: gcp-sa-user-managed-key
  service_account_id = google_service_account.ci.name
}

resource "github_actions_secret" "gcp_key" {
  repository      = "infra"
  secret_name     = "GCP_SA_KEY"
  plaintext_value = google_service_account_key.ci.private_key # expect: tfci-static-credential-in-ci-secret
}
