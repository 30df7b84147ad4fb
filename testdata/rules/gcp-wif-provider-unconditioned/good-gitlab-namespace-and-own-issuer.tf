resource "google_iam_workload_identity_pool_provider" "gitlab" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "gitlab"
  attribute_mapping = {
    "google.subject"           = "assertion.sub"
    "attribute.namespace_path" = "assertion.namespace_path"
  }
  attribute_condition = "assertion.namespace_path == 'acme' && assertion.ref_protected == 'true'"
  oidc {
    issuer_uri = "https://gitlab.com"
  }
}

resource "google_iam_workload_identity_pool_provider" "onprem_k8s" {
  workload_identity_pool_id          = "clusters"
  workload_identity_pool_provider_id = "onprem"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  attribute_condition = "assertion.sub.startsWith('system:serviceaccount:payments:')"
  oidc {
    issuer_uri = "https://k8s.onprem.acme.example"
  }
}
