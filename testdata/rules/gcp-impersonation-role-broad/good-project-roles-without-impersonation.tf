resource "google_project_iam_member" "invoker" {
  project = "acme-prod"
  role    = "roles/run.invoker"
  member  = "serviceAccount:scheduler@acme-prod.iam.gserviceaccount.com"
}

resource "google_project_iam_member" "sa_viewer" {
  project = "acme-prod"
  role    = "roles/iam.serviceAccountViewer"
  member  = "group:auditors@acme.example"
}
