data "aws_partition" "current" {}

resource "aws_iam_role" "runner" {
  name = "gitlab-runner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

# A partition-aware ARN: the interpolation does not hide which policy it is.
resource "aws_iam_policy_attachment" "runner_admin" {
  name       = "runner-admin"
  roles      = [aws_iam_role.runner.name]
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess" # expect: iam-managed-admin-policy
}
