# An ordinary Secret whose values come from elsewhere, and a type that is not a token.
resource "kubernetes_secret_v1" "tls" {
  metadata {
    name      = "ingress-tls"
    namespace = "ingress"
  }
  type = "kubernetes.io/tls"
  data = {
    "tls.crt" = tls_locally_signed_cert.ingress.cert_pem
    "tls.key" = tls_private_key.ingress.private_key_pem
  }
}
