data "aws_iam_policy_document" "platform_bot" {
  statement {
    actions   = ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"]
    resources = ["arn:aws:iam::123456789012:role/workloads/*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = ["arn:aws:iam::123456789012:policy/workload-boundary"]
    }
  }
}
