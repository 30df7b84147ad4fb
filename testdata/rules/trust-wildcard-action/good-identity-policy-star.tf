# `*` in the role's identity policy is the admin rules' business; its trust policy is exact.
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

  inline_policy {
    name = "admin"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
    })
  }
}
