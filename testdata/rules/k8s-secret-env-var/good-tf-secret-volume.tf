# Secrets mounted as files; environment from ConfigMaps and field references; empty
# `value_from {}` and `env_from {}` blocks name nothing.
resource "kubernetes_deployment" "api" {
  metadata {
    name = "api"
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
            name = "LOG_LEVEL"
            value_from {
              config_map_key_ref {
                name = "api-config"
                key  = "log_level"
              }
            }
          }
          env {
            name = "POD_NAME"
            value_from {
              field_ref {
                field_path = "metadata.name"
              }
            }
          }
          env {
            name  = "REGION"
            value = "eu-west-1"
            value_from {
            }
          }
          env_from {
            config_map_ref {
              name = "api-config"
            }
          }
          env_from {
          }
          volume_mount {
            name       = "db"
            mount_path = "/run/secrets/db"
            read_only  = true
          }
        }
        volume {
          name = "db"
          secret {
            secret_name = "db"
          }
        }
      }
    }
  }
}
