# Listing and describing secrets shows names and metadata, never the values.
resource "aws_iam_policy" "inventory" {
  name = "secret-inventory"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:ListSecrets", "secretsmanager:DescribeSecret", "ssm:DescribeParameters", "kms:ListKeys"]
      Resource = "*"
    }]
  })
}
