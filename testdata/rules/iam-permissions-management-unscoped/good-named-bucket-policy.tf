data "aws_iam_policy_document" "log_shipper" {
  statement {
    actions   = ["s3:PutBucketPolicy", "s3:PutBucketAcl"]
    resources = ["arn:aws:s3:::central-logs-123456789012"]
  }
  statement {
    actions   = ["kms:CreateGrant"]
    resources = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
  }
}
