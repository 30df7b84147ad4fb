data "aws_iam_policy_document" "cache_pruner" {
  statement {
    actions   = ["s3:ListBucket", "s3:DeleteObject", "s3:DeleteObjectVersion"]
    resources = [
      "arn:aws:s3:::build-cache-123456789012",
      "arn:aws:s3:::build-cache-123456789012/*",
    ]
  }
}
