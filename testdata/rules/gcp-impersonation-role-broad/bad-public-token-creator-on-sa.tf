resource "google_service_account" "reporting" {
  account_id = "reporting"
}

resource "google_service_account_iam_binding" "reporting" {
  service_account_id = google_service_account.reporting.name
  role               = "roles/iam.serviceAccountTokenCreator" # expect: gcp-impersonation-role-broad
  members            = ["allAuthenticatedUsers"]
}
