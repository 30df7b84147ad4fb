# The default account, but its tokens are limited to logging and monitoring writes.
resource "google_compute_instance" "probe" {
  name         = "uptime-probe"
  machine_type = "e2-micro"
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
    scopes = ["logging-write", "monitoring-write"]
  }
}
