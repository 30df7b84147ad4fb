resource "github_actions_organization_secret" "aws_key_id" {
  secret_name     = "AWS_ACCESS_KEY_ID"
  visibility      = "all"
  plaintext_value = "AKIAZ7QRSTUVWXY23456" # expect: tfci-static-credential-in-ci-secret
}

resource "github_actions_environment_secret" "deploy_token" {
  repository      = "infra"
  environment     = "production"
  secret_name     = "DEPLOY_PASSWORD"
  plaintext_value = "tEsT-fIxTuRe-pAsSwOrD" # expect: tfci-static-credential-in-ci-secret
}
