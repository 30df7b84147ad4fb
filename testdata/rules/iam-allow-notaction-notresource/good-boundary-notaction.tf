# A permissions boundary written with NotAction only limits: it grants nothing by itself.
resource "aws_iam_policy" "developer_boundary" {
  name = "developer-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      NotAction = ["iam:*", "organizations:*", "account:*"]
      Resource  = "*"
    }]
  })
}

resource "aws_iam_role" "developer" {
  name                 = "developer-sandbox"
  permissions_boundary = aws_iam_policy.developer_boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::123456789012:role/sso-developers" }
    }]
  })
}
