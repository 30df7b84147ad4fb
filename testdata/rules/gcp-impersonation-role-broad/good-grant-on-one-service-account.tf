resource "google_service_account" "runtime" {
  account_id = "api-runtime"
}

resource "google_service_account_iam_member" "deployer_acts_as_runtime" {
  service_account_id = google_service_account.runtime.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com"
}
