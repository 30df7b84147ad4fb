variable "trusted_role_arns" {
  type = list(string)
}

resource "aws_iam_role" "cross_team" {
  name = "cross-team-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = var.trusted_role_arns }
    }]
  })
}
