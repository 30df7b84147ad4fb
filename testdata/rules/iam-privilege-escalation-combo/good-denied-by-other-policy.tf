# An account-wide guard attached to the same user denies iam:PassRole unconditionally.
resource "aws_iam_user" "builder" {
  name = "svc-ami-builder"
}

resource "aws_iam_user_policy" "build" {
  name = "build"
  user = aws_iam_user.builder.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:PassRole", "ec2:RunInstances", "ec2:Describe*"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_user_policy" "guard" {
  name = "no-pass-role"
  user = aws_iam_user.builder.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "iam:PassRole", Resource = "*" }]
  })
}
