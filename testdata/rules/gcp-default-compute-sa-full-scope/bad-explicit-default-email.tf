resource "google_compute_instance_from_template" "canary" {
  name                     = "web-canary"
  zone                     = "europe-west1-c"
  source_instance_template = google_compute_instance_template.web.self_link_unique

  service_account {
    email  = "123456789012-compute@developer.gserviceaccount.com"
    scopes = ["cloud-platform"] # expect: gcp-default-compute-sa-full-scope
  }
}
