data "aws_iam_policy_document" "guard" {
  statement {
    sid       = "NoRolePassing"
    effect    = "Deny"
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
  statement {
    sid       = "Read"
    actions   = ["iam:GetRole", "iam:ListRoles"]
    resources = ["*"]
  }
}
