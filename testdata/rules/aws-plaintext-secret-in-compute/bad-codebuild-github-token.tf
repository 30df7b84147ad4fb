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
      value = "ghp_TESTFIXTURE0notAREALtoken0000000000" # expect: aws-plaintext-secret-in-compute
    }

    environment_variable {
      name  = "NPM_TOKEN"
      type  = "PARAMETER_STORE"
      value = "/release/npm-token"
    }
  }

  source {
    type = "GITHUB"
  }
}
