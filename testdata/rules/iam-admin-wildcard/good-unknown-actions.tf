variable "allowed_actions" {
  type        = list(string)
  description = "Actions the pipeline may call"
}

resource "aws_iam_policy" "pipeline" {
  name = "pipeline"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = var.allowed_actions
      Resource = "*"
    }]
  })
}
