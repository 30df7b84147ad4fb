provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAZ7QRSTUVWXY23456"                     # expect: aws-provider-static-credentials
  secret_key = "tEsTfIxTuRe/n0tArEaLkEy/Z7qRsTuVwXy23456" # expect: aws-provider-static-credentials
}
