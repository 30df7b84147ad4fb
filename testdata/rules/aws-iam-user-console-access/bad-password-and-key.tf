# One identity used by a person in the console and by a script with the key.
resource "aws_iam_user" "reporting" { # expect: aws-iam-user-console-access
  name = "reporting"
}

resource "aws_iam_user_login_profile" "reporting" {
  user    = aws_iam_user.reporting.name
  pgp_key = "keybase:finance_ops"
}

resource "aws_iam_access_key" "reporting" {
  user    = aws_iam_user.reporting.name
  pgp_key = "keybase:finance_ops"
}
