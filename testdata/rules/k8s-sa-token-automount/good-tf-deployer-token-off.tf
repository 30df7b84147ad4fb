# The same powerful account, but its token is not mounted (set on the ServiceAccount).
resource "kubernetes_service_account_v1" "deployer" {
  metadata {
    name      = "deployer"
    namespace = "cd"
  }
  automount_service_account_token = false
}

resource "kubernetes_cluster_role_binding_v1" "deployer" {
  metadata {
    name = "deployer"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "cluster-admin"
  }
  subject {
    kind      = "ServiceAccount"
    name      = kubernetes_service_account_v1.deployer.metadata[0].name
    namespace = "cd"
  }
}

resource "kubernetes_deployment_v1" "deployer" {
  metadata {
    name      = "deployer"
    namespace = "cd"
  }
  spec {
    selector {
      match_labels = { app = "deployer" }
    }
    template {
      metadata {
        labels = { app = "deployer" }
      }
      spec {
        service_account_name = kubernetes_service_account_v1.deployer.metadata[0].name
        container {
          name  = "deployer"
          image = "deployer:1"
        }
      }
    }
  }
}
