data "aws_iam_policy_document" "irsa" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C4A9E1F0B3D2A8E7F6C1B0A9D8E7F6A"]
    }
    condition {
      test     = "StringEquals"
      variable = "oidc.eks.eu-west-1.amazonaws.com/id/5C4A9E1F0B3D2A8E7F6C1B0A9D8E7F6A:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "oidc.eks.eu-west-1.amazonaws.com/id/5C4A9E1F0B3D2A8E7F6C1B0A9D8E7F6A:sub"
      values   = ["system:serviceaccount:*"] # expect: trust-eks-irsa-weak-sub
    }
  }
}

resource "aws_iam_role" "irsa" {
  name               = "shared-irsa"
  assume_role_policy = data.aws_iam_policy_document.irsa.json
}
