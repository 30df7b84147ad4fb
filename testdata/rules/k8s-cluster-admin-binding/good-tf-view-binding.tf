# Read-only built-in role, and a custom role whose name merely contains "admin".
resource "kubernetes_cluster_role_binding_v1" "viewer" {
  metadata {
    name = "dashboard-viewer"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "view"
  }
  subject {
    kind      = "ServiceAccount"
    name      = "dashboard"
    namespace = "monitoring"
  }
}

resource "kubernetes_cluster_role_v1" "namespace_admin" {
  metadata {
    name = "namespace-admin-lite"
  }
  rule {
    api_groups = [""]
    resources  = ["namespaces"]
    verbs      = ["get", "list"]
  }
}

resource "kubernetes_cluster_role_binding_v1" "namespace_admin" {
  metadata {
    name = "namespace-admin-lite"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = kubernetes_cluster_role_v1.namespace_admin.metadata[0].name
  }
  subject {
    kind      = "ServiceAccount"
    name      = "ns-bot"
    namespace = "platform"
  }
}
