resource "google_service_account_iam_member" "github" {
  service_account_id = "projects/acme-prod/serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ci/attribute.repository/acme/infra"
}
