resource "aws_lambda_function" "sync" {
  function_name = "partner-sync"
  role          = "arn:aws:iam::123456789012:role/partner-sync"
  runtime       = "python3.12"
  handler       = "main.handler"
  filename      = "build/sync.zip"

  environment {
    variables = {
      PARTNER_BUCKET        = "partner-drop-123456789012"
      AWS_ACCESS_KEY_ID     = "AKIAZ7QRSTUVWXY23456"                     # expect: aws-plaintext-secret-in-compute
      AWS_SECRET_ACCESS_KEY = "tEsTfIxTuRe/n0tArEaLkEy/Z7qRsTuVwXy23456" # expect: aws-plaintext-secret-in-compute
    }
  }
}
