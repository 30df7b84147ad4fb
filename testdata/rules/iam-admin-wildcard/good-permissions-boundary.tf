# A permissions boundary limits what the role's own policies can grant: it is not a grant.
resource "aws_iam_policy" "workload_boundary" {
  name = "workload-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "*", Resource = "*" },
      { Effect = "Deny", Action = ["iam:*", "organizations:*"], Resource = "*" },
    ]
  })
}

resource "aws_iam_role" "workload" {
  name                 = "workload"
  permissions_boundary = aws_iam_policy.workload_boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}
