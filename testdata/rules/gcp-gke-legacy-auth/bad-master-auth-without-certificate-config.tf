resource "google_container_cluster" "v111" {
  name               = "v111"
  location           = "europe-west1-b"
  initial_node_count = 1
  min_master_version = "1.11"

  master_auth { # expect: gcp-gke-legacy-auth
    username = ""
    password = ""
  }
}
