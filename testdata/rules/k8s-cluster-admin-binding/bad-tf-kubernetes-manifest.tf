# A ClusterRoleBinding written as a `kubernetes_manifest` object: read like a YAML manifest.
resource "kubernetes_manifest" "ops_admin" {
  manifest = {
    apiVersion = "rbac.authorization.k8s.io/v1"
    kind       = "ClusterRoleBinding"
    metadata = {
      name = "ops-admin"
    }
    roleRef = {
      apiGroup = "rbac.authorization.k8s.io"
      kind     = "ClusterRole"
      name     = "cluster-admin" # expect: k8s-cluster-admin-binding
    }
    subjects = [
      {
        kind      = "ServiceAccount"
        name      = "ops"
        namespace = "ops"
      },
    ]
  }
}
