resource "aws_iam_role" "gitlab_deploy" {
  name = "gitlab-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/gitlab.com" } # expect: trust-gitlab-oidc-weak-sub
      Condition = {
        StringEquals = { "gitlab.com:aud" = "https://gitlab.com" }
      }
    }]
  })
}
