resource "google_service_account_iam_member" "payments" {
  service_account_id = "projects/acme-prod/serviceAccounts/payments@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/clusters/subject/system:serviceaccount:payments:api"
}
