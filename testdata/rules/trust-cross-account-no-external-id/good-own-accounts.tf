provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012", "210987654321"]
}

resource "aws_iam_role" "cross_env" {
  name = "cross-env-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = ["arn:aws:iam::210987654321:role/staging-reader", "arn:aws:iam::123456789012:role/prod-reader"] }
    }]
  })
}
