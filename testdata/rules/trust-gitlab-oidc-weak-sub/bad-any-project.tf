data "aws_iam_policy_document" "gitlab_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::123456789012:oidc-provider/gitlab.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "gitlab.com:aud"
      values   = ["https://gitlab.com"]
    }
    condition {
      test     = "StringLike"
      variable = "gitlab.com:sub"
      values   = ["project_path:*"] # expect: trust-gitlab-oidc-weak-sub
    }
  }
}

resource "aws_iam_role" "gitlab" {
  name               = "gitlab-ci"
  assume_role_policy = data.aws_iam_policy_document.gitlab_trust.json
}
