# A namespaced Role that lists Secrets, bound to the CI deployer's ServiceAccount; the binding
# names the role through a reference, as Terraform modules usually do.
resource "kubernetes_role_v1" "deployer" {
  metadata {
    name      = "deployer"
    namespace = "apps"
  }

  rule {
    api_groups = [""]
    resources  = ["configmaps", "secrets"] # expect: k8s-rbac-secret-read
    verbs      = ["get", "list"]
  }
}

resource "kubernetes_role_binding_v1" "deployer" {
  metadata {
    name      = "deployer"
    namespace = kubernetes_role_v1.deployer.metadata[0].namespace
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Role"
    name      = kubernetes_role_v1.deployer.metadata[0].name
  }
  subject {
    kind      = "ServiceAccount"
    name      = "ci-deployer"
    namespace = "apps"
  }
}
