# A RoleBinding that grants the deployer role to the `default` ServiceAccount of `ci`: every
# pod of the namespace without its own ServiceAccount gets it.
resource "kubernetes_role_v1" "deployer" {
  metadata {
    name      = "deployer"
    namespace = "ci"
  }
  rule {
    api_groups = ["apps"]
    resources  = ["deployments"]
    verbs      = ["get", "patch"]
  }
}

resource "kubernetes_role_binding_v1" "deployer" {
  metadata {
    name      = "deployer"
    namespace = "ci"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Role"
    name      = kubernetes_role_v1.deployer.metadata[0].name
  }
  subject {
    kind      = "User"
    name      = "release-manager"
    api_group = "rbac.authorization.k8s.io"
  }
  subject { # expect: k8s-default-sa-bound
    kind      = "ServiceAccount"
    name      = "default"
    namespace = "ci"
  }
}
