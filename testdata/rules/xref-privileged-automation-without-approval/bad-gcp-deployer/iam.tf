resource "google_service_account" "deployer" {
  account_id = "deployer"
  project    = "acme-prod"
}

resource "google_project_iam_member" "deployer_editor" {
  project = "acme-prod"
  role    = "roles/editor"
  member  = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_github" {
  service_account_id = google_service_account.deployer.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/attribute.repository/acme/infra"
}
