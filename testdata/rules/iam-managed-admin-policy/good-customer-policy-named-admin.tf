# A customer-managed policy that happens to be called AdministratorAccess is not the AWS one:
# its content is what the policy rules judge.
resource "aws_iam_user" "deploy" {
  name = "deploy"
}

resource "aws_iam_user_policy_attachment" "deploy" {
  user       = aws_iam_user.deploy.name
  policy_arn = "arn:aws:iam::123456789012:policy/AdministratorAccess"
}
