# A break-glass policy switched off in this configuration: count = 0 creates nothing.
resource "aws_iam_policy" "break_glass" {
  count = 0
  name  = "break-glass"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
