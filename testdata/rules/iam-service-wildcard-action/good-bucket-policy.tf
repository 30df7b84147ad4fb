# A bucket policy is a resource policy: what the named role may do on this bucket only.
resource "aws_s3_bucket_policy" "artifacts" {
  bucket = "ci-artifacts-123456789012"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:role/ci-deployer" }
      Action    = "s3:*"
      Resource = [
        "arn:aws:s3:::ci-artifacts-123456789012",
        "arn:aws:s3:::ci-artifacts-123456789012/*",
      ]
    }]
  })
}
