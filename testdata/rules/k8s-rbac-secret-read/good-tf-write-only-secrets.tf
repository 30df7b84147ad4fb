# A sealed-secrets style controller that creates and updates Secrets but never reads them, and
# a reader of ConfigMaps.
resource "kubernetes_cluster_role_v1" "writer" {
  metadata {
    name = "secret-writer"
  }

  rule {
    api_groups = [""]
    resources  = ["secrets"]
    verbs      = ["create", "update", "patch"]
  }

  rule {
    api_groups = [""]
    resources  = ["configmaps"]
    verbs      = ["get", "list", "watch"]
  }
}
