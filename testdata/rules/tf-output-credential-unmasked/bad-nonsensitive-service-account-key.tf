resource "google_service_account_key" "ci" {
  service_account_id = google_service_account.ci.name
}

output "ci_key" {
  value = nonsensitive(google_service_account_key.ci.private_key) # expect: tf-output-credential-unmasked
}
