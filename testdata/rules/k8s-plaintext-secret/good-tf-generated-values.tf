# Values Terraform generates or reads at apply time are not in the repository; placeholders
# and empty values are not secrets; a ServiceAccount token Secret is filled in by Kubernetes.
variable "db_user" {
  type = string
}

resource "random_password" "db" {
  length = 32
}

data "vault_generic_secret" "api" {
  path = "secret/api"
}

resource "kubernetes_secret_v1" "db" {
  metadata {
    name      = "db"
    namespace = "apps"
  }
  data = {
    username = var.db_user
    password = random_password.db.result
    api_key  = data.vault_generic_secret.api.data["key"]
    dsn      = "postgres://${var.db_user}:${random_password.db.result}@db:5432/app"
    note     = ""
    token    = "<set-me>"
  }
}

resource "kubernetes_secret_v1" "ci_token" {
  metadata {
    name      = "ci-token"
    namespace = "ci"
    annotations = {
      "kubernetes.io/service-account.name" = "ci"
    }
  }
  type                           = "kubernetes.io/service-account-token"
  wait_for_service_account_token = true
}
