provider "aws" {
  region = "eu-west-1"
}

# Not shaped like a real key: still a credential written in the provider (medium confidence).
provider "aws" {
  alias      = "legacy"
  region     = "us-west-2"
  access_key = "legacy-automation-user"    # expect: aws-provider-static-credentials
  secret_key = "Winter2024!legacy-password" # expect: aws-provider-static-credentials
}
