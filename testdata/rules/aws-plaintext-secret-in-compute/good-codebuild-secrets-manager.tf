resource "aws_codebuild_project" "release" {
  name         = "release"
  service_role = "arn:aws:iam::123456789012:role/codebuild-release"

  artifacts {
    type = "NO_ARTIFACTS"
  }

  environment {
    compute_type = "BUILD_GENERAL1_SMALL"
    image        = "aws/codebuild/standard:7.0"
    type         = "LINUX_CONTAINER"

    environment_variable {
      name  = "GITHUB_TOKEN"
      type  = "SECRETS_MANAGER"
      value = "release/github-token:token"
    }
  }

  source {
    type = "GITHUB"
  }
}
