# A deploy bot that may patch every Deployment of the cluster (bound cluster-wide).
resource "kubernetes_cluster_role_v1" "deploy_bot" {
  metadata {
    name = "deploy-bot"
  }

  rule {
    api_groups = ["apps"]
    resources  = ["deployments"] # expect: k8s-rbac-pod-create
    verbs      = ["get", "list", "patch"]
  }
}

resource "kubernetes_cluster_role_binding_v1" "deploy_bot" {
  metadata {
    name = "deploy-bot"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = kubernetes_cluster_role_v1.deploy_bot.metadata[0].name
  }
  subject {
    kind      = "ServiceAccount"
    name      = "deploy-bot"
    namespace = "cd"
  }
}
