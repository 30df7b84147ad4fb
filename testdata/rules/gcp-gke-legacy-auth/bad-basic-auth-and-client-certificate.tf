resource "google_container_cluster" "old" {
  name               = "old"
  location           = "europe-west1-b"
  initial_node_count = 1

  master_auth {
    username = "admin" # expect: gcp-gke-legacy-auth
    password = var.cluster_password

    client_certificate_config {
      issue_client_certificate = true # expect: gcp-gke-legacy-auth
    }
  }
}

variable "cluster_password" {
  type      = string
  sensitive = true
}
