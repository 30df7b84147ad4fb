data "google_iam_policy" "apps" {
  binding {
    role = "roles/iam.serviceAccountUser" # expect: gcp-impersonation-role-broad
    members = [
      "serviceAccount:deployer@acme-seed.iam.gserviceaccount.com",
      "group:developers@acme.example",
    ]
  }
}

resource "google_folder_iam_policy" "apps" {
  folder      = "folders/1234567"
  policy_data = data.google_iam_policy.apps.policy_data
}
