resource "google_container_node_pool" "spot" { # expect: gcp-gke-default-node-sa
  name       = "spot"
  cluster    = "projects/acme-prod/locations/europe-west1/clusters/main"
  node_count = 2
}
