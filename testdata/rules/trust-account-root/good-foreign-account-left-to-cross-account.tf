# With the own accounts known, a foreign account root is trust-cross-account-no-external-id's case.
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}

resource "aws_iam_role" "vendor" {
  name = "vendor-monitoring"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::444455556666:root" } # expect: trust-cross-account-no-external-id
    }]
  })
}
