provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}

resource "aws_iam_role" "vendor_monitoring" {
  name = "vendor-monitoring"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
      Condition = { StringEquals = { "sts:ExternalId" = "customer-7f3e9a" } }
    }]
  })
}
