resource "aws_iam_role" "legacy" {
  name               = "legacy-batch"
  assume_role_policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "NotPrincipal": { "AWS": "arn:aws:iam::123456789012:user/intern" },
      "Action": "sts:AssumeRole"
    }
  ]
}
POLICY
}
