# Database credentials exposed as environment variables, one key and a whole Secret.
resource "kubernetes_secret_v1" "db" {
  metadata {
    name      = "db"
    namespace = "apps"
  }
  data = {
    password = random_password.db.result
  }
}

resource "kubernetes_deployment_v1" "api" {
  metadata {
    name      = "api"
    namespace = "apps"
  }
  spec {
    selector {
      match_labels = { app = "api" }
    }
    template {
      metadata {
        labels = { app = "api" }
      }
      spec {
        service_account_name = "api"
        container {
          name  = "api"
          image = "api:3"
          env {
            name = "DB_PASSWORD"
            value_from {
              secret_key_ref { # expect: k8s-secret-env-var
                name = kubernetes_secret_v1.db.metadata[0].name
                key  = "password"
              }
            }
          }
          env_from { # expect: k8s-secret-env-var
            secret_ref {
              name = "api-keys"
            }
          }
        }
      }
    }
  }
}
