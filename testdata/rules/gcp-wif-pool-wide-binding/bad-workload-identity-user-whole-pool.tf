resource "google_service_account" "deployer" {
  account_id = "deployer"
}

resource "google_service_account_iam_member" "github" {
  service_account_id = google_service_account.deployer.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ci/*" # expect: gcp-wif-pool-wide-binding
}
