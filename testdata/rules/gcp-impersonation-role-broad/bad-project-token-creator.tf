resource "google_project_iam_member" "ci_tokens" {
  project = var.project
  role    = "roles/iam.serviceAccountTokenCreator" # expect: gcp-impersonation-role-broad
  member  = "serviceAccount:${google_service_account.ci.email}"
}

resource "google_service_account" "ci" {
  account_id = "ci"
}

variable "project" {
  type = string
}
