resource "aws_iam_role" "rotation" {
  name = "secret-rotation"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

# A region condition lowers the finding but still reads every secret of the account.
resource "aws_iam_role_policy" "rotation" {
  name = "rotation"
  role = aws_iam_role.rotation.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["secretsmanager:Get*", "secretsmanager:PutSecretValue"] # expect: iam-secret-read-unscoped
      Resource  = "arn:aws:secretsmanager:*:123456789012:secret:*"
      Condition = { StringEquals = { "aws:RequestedRegion" = "eu-west-1" } }
    }]
  })
}
