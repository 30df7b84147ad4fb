data "aws_iam_policy_document" "artifacts" {
  statement {
    actions = ["*"]
    resources = [
      "arn:aws:s3:::ci-artifacts-123456789012",
      "arn:aws:s3:::ci-artifacts-123456789012/*",
    ]
  }
}
