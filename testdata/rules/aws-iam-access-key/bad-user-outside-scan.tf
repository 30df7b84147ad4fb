variable "integration_user" {
  type    = string
  default = "svc-datadog"
}

resource "aws_iam_access_key" "integration" { # expect: aws-iam-access-key
  user = var.integration_user
}
