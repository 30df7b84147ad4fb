# An RBAC manager role that can bind and escalate ClusterRoles: it can grant itself anything.
resource "kubernetes_cluster_role" "rbac_manager" {
  metadata {
    name = "rbac-manager"
  }
  rule {
    api_groups = ["rbac.authorization.k8s.io"]
    resources  = ["clusterroles", "clusterrolebindings"]
    verbs = [
      "bind",
      "escalate", # expect: k8s-rbac-escalate-bind-impersonate
    ]
  }
  rule {
    api_groups = ["rbac.authorization.k8s.io"]
    resources  = ["rolebindings"]
    verbs      = ["bind"] # expect: k8s-rbac-escalate-bind-impersonate
  }
}
