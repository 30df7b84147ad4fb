resource "aws_iam_user" "deploy" { # expect: aws-iam-user-console-access
  name = "svc-deploy"
}

resource "aws_iam_user_login_profile" "deploy" {
  user                    = aws_iam_user.deploy.name
  password_reset_required = true
}
