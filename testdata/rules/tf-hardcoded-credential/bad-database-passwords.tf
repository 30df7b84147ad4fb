resource "aws_db_instance" "orders" {
  identifier = "orders"
  username   = "orders_admin"
  password   = "Sup3rS3cret!2024" # expect: tf-hardcoded-credential
}

resource "azurerm_mssql_server" "reports" {
  name                         = "reports"
  administrator_login          = "sqladmin"
  administrator_login_password = "Aa12345678" # expect: tf-hardcoded-credential
}

# A default is a value: reported once, on the default, whatever uses it.
variable "analytics_password" {
  type    = string
  default = "Zx9-analytics-Pw" # expect: tf-hardcoded-credential
}

resource "google_sql_user" "analytics" {
  name     = "analytics"
  instance = "analytics-db"
  password = var.analytics_password
}

resource "aws_rds_cluster" "analytics" {
  master_username = "analytics"
  master_password = var.analytics_password
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id = "app"
  secret_string = jsonencode({
    username = "app"
    password = "q7Vt-RkW2-pL9z" # expect: tf-hardcoded-credential
  })
}

locals {
  reporting_client_secret = "C98D9F6O-1273-4E8A-B8D9-551F7F3OC41" # expect: tf-hardcoded-credential
}
