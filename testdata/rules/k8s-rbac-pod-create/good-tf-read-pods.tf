# Reading pods and scaling Deployments does not create pods with another identity.
resource "kubernetes_role_v1" "observer" {
  metadata {
    name      = "observer"
    namespace = "apps"
  }

  rule {
    api_groups = [""]
    resources  = ["pods", "pods/log"]
    verbs      = ["get", "list", "watch"]
  }

  rule {
    api_groups = ["apps"]
    resources  = ["deployments/scale"]
    verbs      = ["patch"]
  }
}
