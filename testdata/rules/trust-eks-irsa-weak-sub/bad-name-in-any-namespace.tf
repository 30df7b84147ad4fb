resource "aws_iam_role" "fluent_bit" {
  name = "fluent-bit"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C4A9E1F0B3D2A8E7F6C1B0A9D8E7F6A" }
      Condition = {
        StringEquals = { "oidc.eks.eu-west-1.amazonaws.com/id/5C4A9E1F0B3D2A8E7F6C1B0A9D8E7F6A:aud" = "sts.amazonaws.com" }
        StringLike = {
          "oidc.eks.eu-west-1.amazonaws.com/id/5C4A9E1F0B3D2A8E7F6C1B0A9D8E7F6A:sub" = "system:serviceaccount:*:fluent-bit" # expect: trust-eks-irsa-weak-sub
        }
      }
    }]
  })
}
