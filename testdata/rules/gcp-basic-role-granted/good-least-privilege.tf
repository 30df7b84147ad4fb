resource "google_project_iam_member" "deployer_run" {
  project = "acme-prod"
  role    = "roles/run.developer"
  member  = "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com"
}

resource "google_project_iam_member" "deployer_view" {
  project = "acme-prod"
  role    = "roles/viewer"
  member  = "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com"
}

# Editor on one service account, not on the project.
resource "google_service_account_iam_member" "deployer_runtime" {
  service_account_id = "projects/acme-prod/serviceAccounts/runtime@acme-prod.iam.gserviceaccount.com"
  role               = "roles/editor"
  member             = "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com"
}
