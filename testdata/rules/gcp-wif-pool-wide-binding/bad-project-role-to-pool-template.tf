resource "google_iam_workload_identity_pool" "partners" {
  workload_identity_pool_id = "partners"
}

data "google_iam_policy" "reader" {
  binding {
    role = "roles/storage.objectViewer"
    members = [
      "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.partners.name}/*", # expect: gcp-wif-pool-wide-binding
    ]
  }
}

resource "google_storage_bucket_iam_policy" "exports" {
  bucket      = "acme-exports"
  policy_data = data.google_iam_policy.reader.policy_data
}
