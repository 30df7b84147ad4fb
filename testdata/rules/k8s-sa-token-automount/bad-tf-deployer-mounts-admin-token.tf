# A Deployment running as a ServiceAccount that a ClusterRoleBinding (all by reference) makes
# cluster-admin; the token is mounted by default.
resource "kubernetes_namespace_v1" "cd" {
  metadata {
    name = "cd"
  }
}

resource "kubernetes_service_account_v1" "deployer" {
  metadata {
    name      = "deployer"
    namespace = kubernetes_namespace_v1.cd.metadata[0].name
  }
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
    namespace = kubernetes_service_account_v1.deployer.metadata[0].namespace
  }
}

resource "kubernetes_deployment_v1" "deployer" {
  metadata {
    name      = "deployer"
    namespace = kubernetes_namespace_v1.cd.id
  }
  spec {
    selector {
      match_labels = { app = "deployer" }
    }
    template {
      metadata {
        labels = { app = "deployer" }
      }
      spec { # expect: k8s-sa-token-automount
        service_account_name = kubernetes_service_account_v1.deployer.metadata[0].name
        container {
          name  = "deployer"
          image = "deployer:1"
        }
      }
    }
  }
}
