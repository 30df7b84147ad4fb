resource "google_service_account" "remediator" {
  account_id   = "remediator"
  project      = "acme-prod"
  display_name = "Remediation operator"
}

resource "google_project_iam_member" "remediator_logs" {
  project = "acme-prod"
  role    = "roles/logging.viewer"
  member  = "serviceAccount:${google_service_account.remediator.email}"
}

resource "google_service_account_iam_member" "remediator_wi" {
  service_account_id = google_service_account.remediator.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[ops/remediatr]" # expect: xref-workload-identity-trust-mismatch
}
