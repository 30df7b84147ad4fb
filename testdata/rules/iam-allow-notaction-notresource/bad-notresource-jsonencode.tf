resource "aws_iam_user" "backup" {
  name = "svc-backup"
}

resource "aws_iam_user_policy" "backup" {
  name = "backup"
  user = aws_iam_user.backup.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect      = "Allow"
      Action      = ["s3:GetObject", "s3:ListBucket"]
      NotResource = ["arn:aws:s3:::payroll-exports/*"] # expect: iam-allow-notaction-notresource
    }]
  })
}
