# Reading two named Secrets is still reading Secrets (lower severity, still reported); the role
# is referenced by its Terraform label, as some modules (and KICS' samples) write it.
resource "kubernetes_cluster_role" "cert_reader" {
  metadata {
    name = "cert-reader"
  }

  rule {
    api_groups     = [""]
    resources      = ["secrets"] # expect: k8s-rbac-secret-read
    resource_names = ["tls-cert", "tls-key"]
    verbs          = ["get"]
  }
}

resource "kubernetes_cluster_role_binding" "cert_reader" {
  metadata {
    name = "cert-reader"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "cert_reader"
  }
  subject {
    kind      = "ServiceAccount"
    name      = "ingress"
    namespace = "ingress"
  }
}
