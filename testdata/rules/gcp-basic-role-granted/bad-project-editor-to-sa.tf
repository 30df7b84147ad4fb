resource "google_service_account" "deployer" {
  account_id = "app-deployer"
}

resource "google_project_iam_member" "deployer" {
  project = "acme-prod"
  role    = "roles/editor" # expect: gcp-basic-role-granted
  member  = "serviceAccount:${google_service_account.deployer.email}"
}
