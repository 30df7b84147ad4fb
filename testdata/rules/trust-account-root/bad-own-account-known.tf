provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}

resource "aws_iam_role" "admin_access" {
  name = "admin-access"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Principal = { AWS = ["arn:aws:iam::123456789012:root"] } # expect: trust-account-root
    }]
  })
}
