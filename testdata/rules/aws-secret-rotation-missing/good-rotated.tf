resource "aws_secretsmanager_secret" "orders_cache" {
  name = "prod/orders/cache"
}

resource "aws_secretsmanager_secret_rotation" "orders_cache" {
  secret_id           = aws_secretsmanager_secret.orders_cache.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"

  rotation_rules {
    automatically_after_days = 30
  }
}

# One secret per team, each with its rotation.
resource "aws_secretsmanager_secret" "team" {
  for_each = toset(["payments", "search"])
  name     = "prod/${each.key}/api"
}

resource "aws_secretsmanager_secret_rotation" "team" {
  for_each            = aws_secretsmanager_secret.team
  secret_id           = each.value.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
  rotation_rules {
    automatically_after_days = 60
  }
}
