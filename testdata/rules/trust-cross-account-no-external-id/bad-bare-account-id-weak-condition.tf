provider "aws" {
  alias               = "prod"
  region              = "us-east-1"
  allowed_account_ids = ["123456789012"]
}

# A source-IP condition is no substitute for the external id.
resource "aws_iam_role" "cost_export" {
  name = "cost-export"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "444455556666" } # expect: trust-cross-account-no-external-id
      Condition = { IpAddress = { "aws:SourceIp" = "192.0.2.0/24" } }
    }]
  })
}
