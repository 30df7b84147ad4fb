# An "ops-bot" ClusterRole managed with the Terraform Kubernetes provider that can do anything,
# bound cluster-wide to its ServiceAccount through references (the usual Terraform style).
resource "kubernetes_cluster_role_v1" "ops_bot" {
  metadata {
    name = "ops-bot"
  }

  rule {
    api_groups = ["*"] # expect: k8s-rbac-wildcard
    resources  = ["*"]
    verbs      = ["*"]
  }
}

resource "kubernetes_cluster_role_binding_v1" "ops_bot" {
  metadata {
    name = "ops-bot"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = kubernetes_cluster_role_v1.ops_bot.metadata[0].name # expect: k8s-cluster-admin-binding
  }
  subject {
    kind      = "ServiceAccount"
    name      = kubernetes_service_account_v1.ops_bot.metadata[0].name
    namespace = kubernetes_service_account_v1.ops_bot.metadata[0].namespace
  }
}

resource "kubernetes_service_account_v1" "ops_bot" {
  metadata {
    name      = "ops-bot"
    namespace = "aiops"
  }
}
