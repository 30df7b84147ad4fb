# Allow with NotPrincipal opens the bucket to every principal except the listed one.
resource "aws_s3_bucket_policy" "reports" {
  bucket = "quarterly-reports-123456789012"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect       = "Allow"
      NotPrincipal = { AWS = "arn:aws:iam::123456789012:role/intern" } # expect: iam-allow-notaction-notresource
      Action       = "s3:GetObject"
      Resource     = "arn:aws:s3:::quarterly-reports-123456789012/*"
    }]
  })
}
