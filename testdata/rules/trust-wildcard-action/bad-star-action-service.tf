resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "*" # expect: trust-wildcard-action
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}
