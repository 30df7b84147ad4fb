# The user is managed elsewhere: the finding points at the login profile.
resource "aws_iam_user_login_profile" "jane" { # expect: aws-iam-user-console-access
  user                    = "jane.doe"
  password_length         = 24
  password_reset_required = true
}
