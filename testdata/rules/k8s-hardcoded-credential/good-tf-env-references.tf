# Environment values from variables without defaults, generated passwords and plain settings.
variable "github_token" {
  type      = string
  sensitive = true
}

resource "random_password" "redis" {
  length = 24
}

resource "kubernetes_pod_v1" "sync" {
  metadata {
    name = "repo-sync"
  }
  spec {
    service_account_name = "repo-sync"
    container {
      name  = "sync"
      image = "sync:1"
      env {
        name  = "GITHUB_TOKEN"
        value = var.github_token
      }
      env {
        name  = "REDIS_PASSWORD"
        value = random_password.redis.result
      }
      env {
        name  = "PASSWORD_FILE"
        value = "/run/secrets/redis/password"
      }
      env {
        name  = "LOG_LEVEL"
        value = "info"
      }
    }
  }
}
