# No declared function, but the name says monitoring: reported with low confidence.
resource "aws_iam_role" "monitoring" {
  name = "cost-monitor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "monitoring" {
  name = "monitor"
  role = aws_iam_role.monitoring.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ce:GetCostAndUsage", "ec2:TerminateInstances"] # expect: xref-aiops-sod-violation
      Resource = "*"
    }]
  })
}
