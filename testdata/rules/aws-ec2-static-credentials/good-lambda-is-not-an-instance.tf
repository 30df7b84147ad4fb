# Lambda environment variables are aws-plaintext-secret-in-compute's business, not user data.
resource "aws_lambda_function" "sync" {
  function_name = "partner-sync"
  role          = "arn:aws:iam::123456789012:role/partner-sync"
  runtime       = "python3.12"
  handler       = "main.handler"
  filename      = "build/sync.zip"

  environment {
    variables = {
      AWS_ACCESS_KEY_ID_PARAMETER = "/partner-sync/key-id"
    }
  }
}
