resource "google_container_cluster" "autopilot" {
  name             = "apps"
  location         = "europe-west1"
  enable_autopilot = true
}
