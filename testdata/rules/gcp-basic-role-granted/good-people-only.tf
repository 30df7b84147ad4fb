# Break-glass owners are people: a human-access question, not an NHI one.
resource "google_project_iam_binding" "owners" {
  project = "acme-prod"
  role    = "roles/owner"
  members = [
    "user:alice@acme.example",
    "user:bob@acme.example",
  ]
}
