# `dynamodb:Update*` and `ec2:Create*` can reach write actions that no class rule covers.
resource "aws_iam_policy" "ops" {
  name = "ops-automation"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:Update*", "dynamodb:Describe*"] # expect: iam-service-wildcard-action
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = "ec2:Create*" # expect: iam-service-wildcard-action
        Resource = "*"
        Condition = {
          StringEquals = { "aws:RequestedRegion" = "eu-west-1" }
        }
      },
    ]
  })
}
