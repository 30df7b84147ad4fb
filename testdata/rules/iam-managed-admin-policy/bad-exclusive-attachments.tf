resource "aws_iam_role" "ops" {
  name = "ops-automation"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachments_exclusive" "ops" {
  role_name = aws_iam_role.ops.name
  policy_arns = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AdministratorAccess", # expect: iam-managed-admin-policy
  ]
}
