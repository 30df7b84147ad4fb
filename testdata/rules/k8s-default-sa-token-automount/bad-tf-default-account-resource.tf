# The `default` ServiceAccount managed by Terraform without disabling automounting, once
# implicitly and once explicitly.
resource "kubernetes_default_service_account_v1" "apps" { # expect: k8s-default-sa-token-automount
  metadata {
    namespace = "apps"
  }
}

resource "kubernetes_default_service_account" "tools" {
  metadata {
    namespace = "tools"
  }
  automount_service_account_token = true # expect: k8s-default-sa-token-automount
}
