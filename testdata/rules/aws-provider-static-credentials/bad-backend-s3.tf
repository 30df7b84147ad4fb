terraform {
  required_version = ">= 1.5"

  backend "s3" {
    bucket     = "tf-state-123456789012"
    key        = "network/terraform.tfstate"
    region     = "eu-west-1"
    access_key = "AKIAZ7QRSTUVWXY23456"                     # expect: aws-provider-static-credentials
    secret_key = "tEsTfIxTuRe/n0tArEaLkEy/Z7qRsTuVwXy23456" # expect: aws-provider-static-credentials
  }
}
