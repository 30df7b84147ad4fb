# A Secret whose values are written in the Terraform code: they end up in the repository (and
# in the state). The provider base64-encodes `data` itself, so these are clear text. Every
# value of a Secret counts; the finding points at the first one.
resource "kubernetes_secret_v1" "registry" {
  metadata {
    name      = "registry-credentials"
    namespace = "ci"
  }
  data = {
    username = "ci-pusher" # expect: k8s-plaintext-secret
    password = "Zx8-registry-Pa55word!"
  }
}
