# The classic lock-down: Deny with NotPrincipal removes access from everyone but the owner role.
resource "aws_s3_bucket_policy" "state" {
  bucket = "tf-state-123456789012"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect       = "Deny"
      NotPrincipal = { AWS = "arn:aws:iam::123456789012:role/terraform" }
      Action       = "s3:*"
      Resource = [
        "arn:aws:s3:::tf-state-123456789012",
        "arn:aws:s3:::tf-state-123456789012/*",
      ]
    }]
  })
}
