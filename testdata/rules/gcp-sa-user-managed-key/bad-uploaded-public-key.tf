resource "google_service_account" "backup" {
  account_id = "nightly-backup"
}

# The key pair is generated on the backup host and only the public half is uploaded.
resource "google_service_account_key" "backup" { # expect: gcp-sa-user-managed-key
  service_account_id = google_service_account.backup.name
  public_key_data    = filebase64("${path.module}/keys/backup.pub")
}
