# A binding applied with the kubectl provider: the YAML in `yaml_body` is read like a manifest,
# with exact locations inside the (indented, interpolated) heredoc.
variable "namespace" {
  type    = string
  default = "monitoring"
}

resource "kubectl_manifest" "metrics_reader" {
  yaml_body = <<-YAML
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata:
      name: metrics-reader
      namespace: ${var.namespace}
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: view
    subjects:
      - kind: ServiceAccount # expect: k8s-default-sa-bound
        name: default
  YAML
}
