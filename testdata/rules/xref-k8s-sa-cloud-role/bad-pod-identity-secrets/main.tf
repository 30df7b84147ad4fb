resource "aws_iam_role" "rotator" {
  name = "secret-rotator"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Principal = { Service = "pods.eks.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "rotator" {
  name = "read-every-secret"
  role = aws_iam_role.rotator.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]
      Resource = "*"
    }]
  })
}

resource "aws_eks_pod_identity_association" "rotator" { # expect: xref-k8s-sa-cloud-role
  cluster_name    = "prod"
  namespace       = "platform"
  service_account = "secret-rotator"
  role_arn        = aws_iam_role.rotator.arn
}
