# Detection side: reads metrics and logs only. Assumed by the `observer` service account
# of the `aiops` namespace through IRSA.

resource "aws_iam_role" "observer" {
  name = "aiops-observer"
  tags = merge(local.tags, { "nhiaudit:function" = "detect" })

  assume_role_policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Principal": {
            "Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C1A8E0B3F2D4A6C9E7B1D0F2A4C6E8B"
          },
          "Condition": {
            "StringLike": {
              "oidc.eks.eu-west-1.amazonaws.com/id/5C1A8E0B3F2D4A6C9E7B1D0F2A4C6E8B:sub": "system:serviceaccount:aiops:*"
            }
          }
        }
      ]
    }
  EOF
}

resource "aws_iam_role_policy_attachment" "observer_readonly" {
  role       = aws_iam_role.observer.name
  policy_arn = "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"
}

# Added during an incident so the detector could "just restart the agent" itself.
resource "aws_iam_role_policy" "observer_quick_fix" {
  name = "quick-fix"
  role = aws_iam_role.observer.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ssm:SendCommand"]
      Resource = "*"
    }]
  })
}
