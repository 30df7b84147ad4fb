# sts:AssumeRole in a trust policy says who may assume this role: it mints nothing for anyone else.
resource "aws_iam_role" "reporting" {
  name = "reporting-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Principal = { AWS = "arn:aws:iam::123456789012:role/report-runner" }
    }]
  })
}
