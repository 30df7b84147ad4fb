resource "google_service_account" "worker" {
  account_id = "batch-worker"
}

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
    email  = google_service_account.worker.email
    scopes = ["cloud-platform"]
  }
}
