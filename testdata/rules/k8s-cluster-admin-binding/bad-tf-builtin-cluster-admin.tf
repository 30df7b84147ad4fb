# The built-in cluster-admin ClusterRole handed to a CI ServiceAccount cluster-wide.
resource "kubernetes_cluster_role_binding" "ci_admin" {
  metadata {
    name = "ci-admin"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "cluster-admin" # expect: k8s-cluster-admin-binding
  }
  subject {
    kind      = "ServiceAccount"
    name      = "ci"
    namespace = "ci"
  }
}
