# On gitlab.com anyone can create a group called `my-group-anything`.
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
      values = [
        "project_path:my-group*/deploy:ref_type:branch:ref:main",    # expect: trust-gitlab-oidc-weak-sub
        "project_path:platform/*/deploy:ref_type:branch:ref:main", # expect: trust-gitlab-oidc-weak-sub
      ]
    }
  }
}
