# The AWS documentation example keys: reported at low confidence, saying so.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE" # expect: aws-provider-static-credentials
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" # expect: aws-provider-static-credentials
  skip_credentials_validation = true
  skip_requesting_account_id  = true
}
