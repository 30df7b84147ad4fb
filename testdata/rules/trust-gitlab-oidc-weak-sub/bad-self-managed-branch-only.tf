# Self-managed GitLab: a pattern that pins only the branch matches every project on the instance.
resource "aws_iam_role" "gitlab_release" {
  name = "gitlab-release"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/gitlab.example.com" }
      Condition = {
        StringEquals = { "gitlab.example.com:aud" = "sts.amazonaws.com" }
        StringLike = {
          "gitlab.example.com:sub" = [
            "project_path:platform/release-tools:ref_type:branch:ref:main",
            "*:ref_type:branch:ref:main", # expect: trust-gitlab-oidc-weak-sub
          ]
        }
      }
    }]
  })
}
