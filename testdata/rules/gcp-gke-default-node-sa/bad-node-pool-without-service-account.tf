resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  remove_default_node_pool = true
  initial_node_count       = 1
}

resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = google_container_cluster.main.name
  location = "europe-west1"

  node_config { # expect: gcp-gke-default-node-sa
    machine_type = "e2-standard-4"
    image_type   = "COS_CONTAINERD"
  }
}
