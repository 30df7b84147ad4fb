# Explicit lists, and lists that cannot be known statically: neither is a wildcard.
variable "verbs" {
  type = list(string)
}

resource "kubernetes_cluster_role_v1" "reader" {
  metadata {
    name = "deploy-reader"
  }

  rule {
    api_groups = ["apps"]
    resources  = ["deployments", "replicasets"]
    verbs      = ["get", "list", "watch"]
  }

  rule {
    api_groups = [""]
    resources  = ["configmaps"]
    verbs      = var.verbs
  }

  rule {
    non_resource_urls = ["/healthz", "/metrics"]
    verbs             = ["get"]
  }
}
