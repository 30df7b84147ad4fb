# EKS Pod Identity trusts the pods.eks.amazonaws.com service, not the cluster's OIDC issuer.
resource "aws_iam_role" "payments_api" {
  name = "payments-api"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Principal = { Service = "pods.eks.amazonaws.com" }
    }]
  })
}
