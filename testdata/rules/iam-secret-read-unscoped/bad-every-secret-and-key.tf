data "aws_iam_policy_document" "app" {
  statement {
    actions = [
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue", # expect: iam-secret-read-unscoped
      "kms:Decrypt",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "app" {
  name   = "read-secrets"
  role   = "app-task"
  policy = data.aws_iam_policy_document.app.json
}
