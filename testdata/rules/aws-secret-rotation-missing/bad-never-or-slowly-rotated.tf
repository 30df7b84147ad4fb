resource "aws_secretsmanager_secret" "orders_db" { # expect: aws-secret-rotation-missing
  name = "prod/orders/db"
}

resource "aws_secretsmanager_secret" "billing_api" {
  name = "prod/billing/api"
}

resource "aws_secretsmanager_secret_rotation" "billing_api" {
  secret_id           = aws_secretsmanager_secret.billing_api.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"

  rotation_rules {
    automatically_after_days = 365 # expect: aws-secret-rotation-missing
  }
}
