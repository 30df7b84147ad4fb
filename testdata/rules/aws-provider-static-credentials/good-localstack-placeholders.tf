# LocalStack accepts any credentials: these are placeholders, not secrets.
provider "aws" {
  alias                       = "localstack"
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  endpoints {
    s3 = "http://localhost:4566"
  }
}
