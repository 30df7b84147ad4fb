resource "google_service_account" "ci" {
  account_id = "ci-deployer"
}

resource "google_project_iam_member" "ci" {
  for_each = toset([
    "roles/run.admin",
    "roles/editor", # expect: gcp-basic-role-granted
    "roles/iam.serviceAccountUser", # expect: gcp-impersonation-role-broad
  ])
  project = "acme-prod"
  role    = each.value
  member  = "serviceAccount:${google_service_account.ci.email}"
}
