# A customised sub template that drops the repository: every repository's `prod` environment matches.
resource "aws_iam_role" "prod_deploy" {
  name = "prod-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "environment:prod" # expect: trust-github-oidc-weak-sub
        }
      }
    }]
  })
}
