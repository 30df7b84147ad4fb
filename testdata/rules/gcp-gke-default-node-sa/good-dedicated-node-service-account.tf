resource "google_service_account" "nodes" {
  account_id = "gke-nodes"
}

resource "google_container_node_pool" "general" {
  name    = "general"
  cluster = "projects/acme-prod/locations/europe-west1/clusters/main"

  node_config {
    machine_type    = "e2-standard-4"
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]

    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}
