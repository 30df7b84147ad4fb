resource "aws_iam_role" "env_reaper" {
  name = "env-reaper"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

# Everything except the production cluster is still every resource that exists or will exist.
resource "aws_iam_role_policy" "env_reaper" {
  name = "reap-preview-environments"
  role = aws_iam_role.env_reaper.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect      = "Allow"
      Action      = ["rds:DeleteDBCluster", "rds:DeleteDBInstance"] # expect: iam-destructive-actions-unscoped
      NotResource = "arn:aws:rds:eu-west-1:123456789012:cluster:prod-main"
    }]
  })
}
