# The provider accepts one client id, which lowers the finding; the trust should still say it.
resource "aws_iam_openid_connect_provider" "gitlab" {
  url             = "https://gitlab.com"
  client_id_list  = ["https://gitlab.com"]
  thumbprint_list = ["b3dd7606d2b5a8b4a13771dbecc9ee1cecafa38a"]
}

resource "aws_iam_role" "gitlab_ci" {
  name = "gitlab-ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.gitlab.arn } # expect: trust-oidc-missing-aud
      Condition = {
        StringEquals = { "gitlab.com:sub" = "project_path:my-group/my-project:ref_type:branch:ref:main" }
      }
    }]
  })
}
