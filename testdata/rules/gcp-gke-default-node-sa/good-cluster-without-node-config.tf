# The default pool is removed and the only pool names its service account.
resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  remove_default_node_pool = true
  initial_node_count       = 1

  workload_identity_config {
    workload_pool = "acme-prod.svc.id.goog"
  }
}

resource "google_container_node_pool" "general" {
  name    = "general"
  cluster = google_container_cluster.main.id

  node_config {
    service_account = "gke-nodes@acme-prod.iam.gserviceaccount.com"
  }
}
