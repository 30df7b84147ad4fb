resource "google_container_cluster" "ci" {
  name               = "ci-runners"
  location           = "europe-west1-b"
  initial_node_count = 3

  node_config { # expect: gcp-gke-default-node-sa
    machine_type = "e2-standard-8"
    oauth_scopes = [
      "https://www.googleapis.com/auth/cloud-platform",
    ]
  }
}
