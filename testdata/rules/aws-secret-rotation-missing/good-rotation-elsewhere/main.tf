# The rotation names its secret through a variable: it may be this one, so nothing is decided.
variable "secret_id" {
  type = string
}

resource "aws_secretsmanager_secret" "reporting" {
  name = "prod/reporting/db"
}

resource "aws_secretsmanager_secret_rotation" "reporting" {
  secret_id           = var.secret_id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
  rotation_rules {
    automatically_after_days = 30
  }
}
