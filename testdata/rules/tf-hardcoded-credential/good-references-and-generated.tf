resource "random_password" "db" {
  length  = 24
  special = true
}

variable "admin_password" {
  type      = string
  sensitive = true
}

variable "password_length" {
  default = 24
}

data "aws_secretsmanager_secret_version" "api" {
  secret_id = "prod/api"
}

resource "aws_db_instance" "orders" {
  username                    = "orders_admin"
  password                    = random_password.db.result
  manage_master_user_password = null
}

resource "azurerm_linux_virtual_machine" "runner" {
  name           = "runner"
  admin_username = "runner"
  admin_password = var.admin_password
}

resource "aws_secretsmanager_secret_version" "api" {
  secret_id     = "prod/api"
  secret_string = jsonencode({ token = data.aws_secretsmanager_secret_version.api.secret_string })
}

resource "google_secret_manager_secret" "db" {
  secret_id = "db-password"
}

resource "aws_ssm_parameter" "endpoint" {
  name  = "/prod/api/endpoint"
  type  = "String"
  value = "https://api.internal.example"
}

resource "aws_api_gateway_rest_api" "api" {
  name           = "api"
  api_key_source = "HEADER"
}

resource "aws_cognito_user_pool" "users" {
  name = "users"
  password_policy {
    minimum_length = 12
  }
}

resource "azurerm_key_vault_secret" "from_generated" {
  name         = "db-password"
  value        = random_password.db.result
  key_vault_id = "kv"
}

# Created with a throw-away value; the real one is set out of band and Terraform ignores it.
resource "aws_ssm_parameter" "api_key" {
  name  = "/prod/api/key"
  type  = "SecureString"
  value = "initial-value-set-later"

  lifecycle {
    ignore_changes = [value]
  }
}

# Where a secret lives, not the secret.
module "vault_reader" {
  source      = "./vault-reader"
  db_secret   = "kv/data/orders"
  auth_secret = "prod/orders/api-token"
}
