data "google_iam_policy" "org" {
  binding {
    role = "roles/resourcemanager.organizationViewer"
    members = [
      "group:security@acme.example",
    ]
  }

  binding {
    role = "roles/owner" # expect: gcp-basic-role-granted
    members = [
      "serviceAccount:terraform@acme-seed.iam.gserviceaccount.com",
    ]
  }
}

resource "google_organization_iam_policy" "org" {
  org_id      = "123456789012"
  policy_data = data.google_iam_policy.org.policy_data
}
