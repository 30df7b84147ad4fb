resource "aws_iam_role" "ci" { # expect: iam-privilege-escalation-combo
  name = "ci-lambda-deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "codebuild.amazonaws.com" }
    }]
  })
}

# PassRole is limited to Lambda, which is exactly the service the method needs.
resource "aws_iam_role_policy" "ci" {
  name = "deploy-functions"
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "iam:PassRole"
        Resource  = "*"
        Condition = { StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" } }
      },
      {
        Effect   = "Allow"
        Action   = ["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:GetFunction"]
        Resource = "arn:aws:lambda:eu-west-1:123456789012:function:*"
      },
    ]
  })
}
