# Reading RBAC objects, and `bind` on a resource it does not apply to.
resource "kubernetes_cluster_role_v1" "auditor" {
  metadata {
    name = "rbac-auditor"
  }
  rule {
    api_groups = ["rbac.authorization.k8s.io"]
    resources  = ["roles", "rolebindings", "clusterroles", "clusterrolebindings"]
    verbs      = ["get", "list", "watch"]
  }
  rule {
    api_groups = [""]
    resources  = ["pods"]
    verbs      = ["bind"]
  }
}
