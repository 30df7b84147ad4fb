# cluster-admin granted through a RoleBinding: full control of one namespace (its Secrets and
# RBAC included). `role_ref` and `subject` are written as attribute objects here, as some
# generated code (and KICS' samples) write them.
resource "kubernetes_role_binding_v1" "tenant_admin" {
  metadata {
    name      = "tenant-admin"
    namespace = "tenant-a"
  }
  role_ref = {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "cluster-admin" # expect: k8s-cluster-admin-binding
  }
  subject = [
    {
      kind      = "ServiceAccount"
      name      = "tenant-operator"
      namespace = "tenant-a"
    },
  ]
}
