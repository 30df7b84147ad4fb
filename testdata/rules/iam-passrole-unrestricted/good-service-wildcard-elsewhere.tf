# `iam:*` includes PassRole, but the whole-service wildcard is reported by iam-service-wildcard-action.
resource "aws_iam_policy" "iam_admin" {
  name = "iam-admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }]
  })
}
