resource "aws_iam_policy" "guard" {
  name = "deny-iam-writes"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Deny"
      Action   = ["iam:Put*", "iam:Attach*", "iam:CreatePolicyVersion", "iam:UpdateAssumeRolePolicy"]
      Resource = "*"
    }]
  })
}
