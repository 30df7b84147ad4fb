variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_lambda_function" "report" {
  function_name = "nightly-report"
  role          = "arn:aws:iam::123456789012:role/nightly-report"
  runtime       = "python3.12"
  handler       = "main.handler"
  filename      = "build/report.zip"

  environment {
    variables = {
      DB_PASSWORD           = var.db_password
      SMTP_PASSWORD         = "changeme"
    }
  }
}
