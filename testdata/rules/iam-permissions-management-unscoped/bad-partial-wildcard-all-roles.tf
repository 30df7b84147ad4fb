resource "aws_iam_role" "provisioner" {
  name = "account-provisioner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "provisioner" {
  name = "write-role-policies"
  role = aws_iam_role.provisioner.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "iam:Put*" # expect: iam-permissions-management-unscoped
      Resource = "arn:aws:iam::123456789012:role/*"
    }]
  })
}
