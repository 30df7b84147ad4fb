# Reads the public half of a key managed elsewhere, to publish it: no key is created here.
data "google_service_account_key" "signer" {
  name            = "projects/acme-prod/serviceAccounts/signer@acme-prod.iam.gserviceaccount.com/keys/0123456789abcdef"
  public_key_type = "TYPE_X509_PEM_FILE"
}

output "signer_public_key" {
  value = data.google_service_account_key.signer.public_key
}
