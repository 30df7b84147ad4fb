# Workloads with their own ServiceAccount (by reference), or opting out of the token; and a
# managed `default` account that disables automounting.
resource "kubernetes_service_account_v1" "web" {
  metadata {
    name      = "web"
    namespace = "apps"
  }
}

resource "kubernetes_deployment_v1" "web" {
  metadata {
    name      = "web"
    namespace = "apps"
  }
  spec {
    selector {
      match_labels = { app = "web" }
    }
    template {
      metadata {
        labels = { app = "web" }
      }
      spec {
        service_account_name = kubernetes_service_account_v1.web.metadata[0].name
        container {
          name  = "web"
          image = "nginx:1.27"
        }
      }
    }
  }
}

resource "kubernetes_job_v1" "migrate" {
  metadata {
    name      = "migrate"
    namespace = "apps"
  }
  spec {
    template {
      metadata {}
      spec {
        automount_service_account_token = false
        container {
          name  = "migrate"
          image = "migrate:1"
        }
      }
    }
  }
}

resource "kubernetes_default_service_account_v1" "apps" {
  metadata {
    namespace = "apps"
  }
  automount_service_account_token = false
}
