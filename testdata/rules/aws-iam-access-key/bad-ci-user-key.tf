resource "aws_iam_user" "ci" {
  name = "ci-deployer"
}

resource "aws_iam_access_key" "ci" { # expect: aws-iam-access-key
  user = aws_iam_user.ci.name
}
