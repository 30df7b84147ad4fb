# The namespace's default account managed by Terraform, then bound by reference: the reference
# resolves to `default`.
resource "kubernetes_default_service_account_v1" "apps" {
  metadata {
    namespace = "apps"
  }
}

resource "kubernetes_cluster_role_binding_v1" "apps_view" {
  metadata {
    name = "apps-view"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "view"
  }
  subject { # expect: k8s-default-sa-bound
    kind      = "ServiceAccount"
    name      = kubernetes_default_service_account_v1.apps.metadata[0].name
    namespace = kubernetes_default_service_account_v1.apps.metadata[0].namespace
  }
}
