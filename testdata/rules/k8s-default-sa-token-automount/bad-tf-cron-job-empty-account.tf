# An empty (or null) service account name is the `default` account; a CronJob's pod spec sits
# under spec.job_template.spec.template.spec.
resource "kubernetes_cron_job_v1" "report" {
  metadata {
    name      = "report"
    namespace = "batch"
  }
  spec {
    schedule = "0 3 * * *"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec {
            service_account_name = "" # expect: k8s-default-sa-token-automount
            container {
              name  = "report"
              image = "report:2"
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_pod_v1" "debug" {
  metadata {
    name      = "debug"
    namespace = "batch"
  }
  spec { # expect: k8s-default-sa-token-automount
    service_account_name = null
    container {
      name  = "debug"
      image = "busybox:1.36"
    }
  }
}
