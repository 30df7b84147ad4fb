resource "github_actions_variable" "role" {
  repository    = "infra"
  variable_name = "AWS_ROLE_ARN"
  value         = aws_iam_role.github_deploy.arn
}

resource "gitlab_project_variable" "region" {
  project = "42"
  key     = "AWS_REGION"
  value   = "eu-west-1"
}

resource "gitlab_project_variable" "role" {
  project = "42"
  key     = "ROLE_ARN"
  value   = "arn:aws:iam::123456789012:role/gitlab-deploy"
}
