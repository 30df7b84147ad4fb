resource "aws_iam_role" "key_rotator" {
  name = "key-rotator"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "key_rotator" {
  name = "rotate-keys"
  role = aws_iam_role.key_rotator.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "iam:ListAccessKeys",
        "iam:CreateAccessKey", # expect: iam-credential-minting-actions
        "iam:UpdateAccessKey",
        "iam:DeleteAccessKey",
      ]
      Resource = "arn:aws:iam::123456789012:user/*"
    }]
  })
}
