data "aws_iam_policy_document" "gha_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"] # expect: trust-oidc-missing-aud
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:my-org/deploy-app:environment:prod"]
    }
  }
}

resource "aws_iam_role" "gha" {
  name               = "gha-deploy"
  assume_role_policy = data.aws_iam_policy_document.gha_trust.json
}
