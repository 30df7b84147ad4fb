# The remediation operator's cloud identity: its pods (ServiceAccount
# aiops/remediation-operator, through IRSA) run SSM documents on instances and rotate the
# database credentials in Secrets Manager.

resource "aws_iam_role" "operator" {
  name = "remediation-operator"
  tags = merge(local.tags, { "nhiaudit:function" = "execute" })

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::${local.account_id}:oidc-provider/${var.cluster_oidc_issuer}" }
      Condition = {
        StringEquals = {
          "${var.cluster_oidc_issuer}:aud" = "sts.amazonaws.com"
          "${var.cluster_oidc_issuer}:sub" = "system:serviceaccount:aiops:remediation-operator"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "operator" {
  name = "remediate"
  role = aws_iam_role.operator.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "RunDocuments"
        Effect   = "Allow"
        Action   = ["ssm:SendCommand", "ssm:GetCommandInvocation"]
        Resource = "*"
      },
      {
        Sid      = "RotateDatabaseCredentials"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"]
        Resource = "arn:aws:secretsmanager:${var.region}:${local.account_id}:secret:*"
      },
    ]
  })
}
