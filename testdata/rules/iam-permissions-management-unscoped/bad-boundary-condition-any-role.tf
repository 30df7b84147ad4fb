# The boundary condition lowers the finding; the roles are still any role in the account.
data "aws_iam_policy_document" "role_vending" {
  statement {
    actions   = ["iam:CreateRole", "iam:AttachRolePolicy"] # expect: iam-permissions-management-unscoped
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = ["arn:aws:iam::123456789012:policy/workload-boundary"]
    }
  }
}
