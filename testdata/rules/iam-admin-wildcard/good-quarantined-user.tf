# The legacy admin user is quarantined: an unconditional Deny of everything is attached too.
resource "aws_iam_user" "legacy" {
  name = "legacy-admin"
}

resource "aws_iam_user_policy" "legacy_admin" {
  name = "admin"
  user = aws_iam_user.legacy.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_user_policy" "legacy_quarantine" {
  name = "quarantine"
  user = aws_iam_user.legacy.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "*", Resource = "*" }]
  })
}
