resource "google_folder_iam_binding" "platform" {
  folder = "folders/987654321"
  role   = "roles/owner" # expect: gcp-basic-role-granted

  members = [
    "group:platform-automation@acme.example",
    "user:alice@acme.example",
  ]
}
