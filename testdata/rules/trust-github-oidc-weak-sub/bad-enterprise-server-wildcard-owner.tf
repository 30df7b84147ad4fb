# GitHub Enterprise Server issues tokens from https://HOST/_services/token.
resource "aws_iam_role" "ghes_deploy" {
  name = "ghes-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/github.example.com/_services/token" }
      Condition = {
        StringEquals = { "github.example.com/_services/token:aud" = "sts.amazonaws.com" }
        StringLike   = { "github.example.com/_services/token:sub" = "repo:*/infrastructure:*" } # expect: trust-github-oidc-weak-sub
      }
    }]
  })
}
