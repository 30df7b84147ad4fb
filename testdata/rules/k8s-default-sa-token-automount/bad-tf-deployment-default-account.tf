# A Deployment without a ServiceAccount of its own: its pods run as `default` with the token
# mounted. The finding points at the pod template's `spec`.
resource "kubernetes_deployment_v1" "web" {
  metadata {
    name      = "web"
    namespace = "apps"
  }

  spec {
    replicas = 2
    selector {
      match_labels = {
        app = "web"
      }
    }
    template {
      metadata {
        labels = {
          app = "web"
        }
      }
      spec { # expect: k8s-default-sa-token-automount
        container {
          name  = "web"
          image = "nginx:1.27"
        }
      }
    }
  }
}
