resource "aws_iam_role" "policy_manager" { # expect: iam-privilege-escalation-combo
  name = "policy-manager"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })

  inline_policy {
    name = "manage-customer-policies"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["iam:CreatePolicyVersion", "iam:GetPolicy", "iam:ListPolicyVersions"]
        Resource = "arn:aws:iam::123456789012:policy/*"
      }]
    })
  }
}
