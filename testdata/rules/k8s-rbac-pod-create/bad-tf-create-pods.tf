# A job runner that may create pods in its namespace, and so run them as any ServiceAccount
# there.
resource "kubernetes_role" "runner" {
  metadata {
    name      = "runner"
    namespace = "ci"
  }

  rule {
    api_groups = [""]
    resources = [
      "pods", # expect: k8s-rbac-pod-create
      "pods/log",
    ]
    verbs = ["create", "get", "delete"]
  }
}
