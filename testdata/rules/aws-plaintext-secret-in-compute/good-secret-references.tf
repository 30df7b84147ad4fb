resource "aws_lambda_function" "sync" {
  function_name = "partner-sync"
  role          = "arn:aws:iam::123456789012:role/partner-sync"
  runtime       = "python3.12"
  handler       = "main.handler"
  filename      = "build/sync.zip"

  environment {
    variables = {
      DB_PASSWORD_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/sync/db-AbCdEf"
      API_TOKEN_PARAMETER    = "/prod/sync/api-token"
      TOKEN_TTL              = "3600"
      PASSWORD_MIN_LENGTH    = "16"
    }
  }
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name  = "api"
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2"
    secrets = [
      { name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api/db-AbCdEf" },
    ]
  }])
}
