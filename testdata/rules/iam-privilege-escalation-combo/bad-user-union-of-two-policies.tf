# Neither policy escalates alone; together they let the user launch an instance with any role.
resource "aws_iam_user" "builder" { # expect: iam-privilege-escalation-combo
  name = "svc-ami-builder"
}

resource "aws_iam_policy" "pass_roles" {
  name = "pass-instance-roles"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "iam:PassRole"
      Resource = "arn:aws:iam::123456789012:role/*"
    }]
  })
}

resource "aws_iam_policy" "run_instances" {
  name = "run-instances"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ec2:RunInstances", "ec2:CreateTags", "ec2:Describe*"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_user_policy_attachment" "builder_pass" {
  user       = aws_iam_user.builder.name
  policy_arn = aws_iam_policy.pass_roles.arn
}

resource "aws_iam_user_policy_attachment" "builder_run" {
  user       = aws_iam_user.builder.name
  policy_arn = aws_iam_policy.run_instances.arn
}
