resource "google_iam_workload_identity_pool_provider" "aws" {
  workload_identity_pool_id          = "partners"
  workload_identity_pool_provider_id = "aws-prod"
  aws { # expect: gcp-wif-provider-unconditioned
    account_id = "123456789012"
  }
}
