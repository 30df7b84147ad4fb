# A "support bot" that may impersonate any ServiceAccount, and so act with any of their grants.
resource "kubernetes_cluster_role_v1" "support_bot" {
  metadata {
    name = "support-bot"
  }
  rule {
    api_groups = [""]
    resources  = ["serviceaccounts"]
    verbs      = ["impersonate"] # expect: k8s-rbac-escalate-bind-impersonate
  }
}
