resource "google_iam_workload_identity_pool_provider" "github" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "github"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
    "attribute.ref"  = "assertion.ref"
  }
  # Every repository on GitHub has a main branch.
  attribute_condition = "assertion.ref == 'refs/heads/main'" # expect: gcp-wif-provider-unconditioned
  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
