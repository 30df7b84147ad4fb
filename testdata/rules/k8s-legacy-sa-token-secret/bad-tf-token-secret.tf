# A long-lived ServiceAccount token Secret created with Terraform (a common way to hand a token
# to an external CI system).
resource "kubernetes_service_account_v1" "ci" {
  metadata {
    name      = "ci"
    namespace = "ci"
  }
}

resource "kubernetes_secret_v1" "ci_token" {
  metadata {
    name      = "ci-token"
    namespace = "ci"
    annotations = {
      "kubernetes.io/service-account.name" = kubernetes_service_account_v1.ci.metadata[0].name
    }
  }
  type                           = "kubernetes.io/service-account-token" # expect: k8s-legacy-sa-token-secret
  wait_for_service_account_token = true
}
