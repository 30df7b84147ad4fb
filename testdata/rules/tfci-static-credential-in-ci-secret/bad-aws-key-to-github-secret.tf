resource "aws_iam_user" "ci" {
  name = "github-deployer"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

resource "github_actions_secret" "key_id" {
  repository      = "infra"
  secret_name     = "AWS_ACCESS_KEY_ID"
  plaintext_value = aws_iam_access_key.ci.id
}

resource "github_actions_secret" "secret" {
  repository      = "infra"
  secret_name     = "AWS_SECRET_ACCESS_KEY"
  plaintext_value = aws_iam_access_key.ci.secret # expect: tfci-static-credential-in-ci-secret
}
