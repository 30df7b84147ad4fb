# Full administration is reported by iam-admin-wildcard, not as an escalation path.
resource "aws_iam_role" "breakglass" {
  name = "breakglass"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::123456789012:role/sso-admins" }
    }]
  })
}

resource "aws_iam_role_policy" "breakglass" {
  name = "admin"
  role = aws_iam_role.breakglass.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
