# A GitHub token written as a literal environment value of a Terraform-managed Deployment, and
# a password under a secret-like name in a sidecar.
resource "kubernetes_deployment_v1" "sync" {
  metadata {
    name      = "repo-sync"
    namespace = "tools"
  }
  spec {
    selector {
      match_labels = { app = "repo-sync" }
    }
    template {
      metadata {
        labels = { app = "repo-sync" }
      }
      spec {
        service_account_name = "repo-sync"
        container {
          name  = "sync"
          image = "sync:1"
          env {
            name  = "GITHUB_TOKEN"
            value = "ghp_Q7rT2mX9kL4vB8nC1zW5yH3jP6sD0fGa2Ek1" # expect: k8s-hardcoded-credential
          }
        }
        container {
          name  = "cache"
          image = "redis:7"
          env {
            name  = "REDIS_PASSWORD"
            value = "r3dis-Sup3r-S3cret" # expect: k8s-hardcoded-credential
          }
        }
      }
    }
  }
}
