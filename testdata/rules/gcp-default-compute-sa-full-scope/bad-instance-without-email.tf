resource "google_compute_instance" "worker" {
  name         = "batch-worker"
  machine_type = "e2-standard-4"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }

  service_account {
    scopes = ["cloud-platform"] # expect: gcp-default-compute-sa-full-scope
  }
}
