# The same, with nested objects written as attributes (as in KICS' samples), in an init
# container of a Pod.
resource "kubernetes_pod" "worker" {
  metadata {
    name = "worker"
  }
  spec {
    service_account_name = "worker"
    init_container {
      name  = "fetch"
      image = "fetch:1"
      env {
        name = "API_TOKEN"
        value_from = {
          secret_key_ref = { name = "worker-token", key = "token" } # expect: k8s-secret-env-var
        }
      }
    }
    container {
      name  = "worker"
      image = "worker:1"
    }
  }
}
