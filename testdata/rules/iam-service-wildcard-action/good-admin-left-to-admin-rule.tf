# `*` on every resource is reported once, by iam-admin-wildcard.
resource "aws_iam_policy" "admin" {
  name = "platform-admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
