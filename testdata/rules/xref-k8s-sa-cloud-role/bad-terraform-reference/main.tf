resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
      Condition = { StringEquals = {
        "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:apps:app"
        "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com"
      } }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "app" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess"
}

resource "kubernetes_service_account_v1" "app" {
  metadata {
    name      = "app"
    namespace = "apps"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.app.arn # expect: xref-k8s-sa-cloud-role
    }
  }
}
