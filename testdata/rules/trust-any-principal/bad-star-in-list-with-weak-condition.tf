resource "aws_iam_role" "partner_upload" {
  name = "partner-upload"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Principal = {
        AWS = [
          "arn:aws:iam::123456789012:role/uploader",
          "*", # expect: trust-any-principal
        ]
      }
      Condition = { IpAddress = { "aws:SourceIp" = "198.51.100.0/24" } }
    }]
  })
}
