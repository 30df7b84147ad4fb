resource "aws_iam_access_key" "ci" {
  user = "ci"
}

output "ci_credentials" {
  value = { # expect: tf-output-credential-unmasked
    id     = aws_iam_access_key.ci.id
    secret = aws_iam_access_key.ci.secret
  }
}
