data "aws_iam_policy_document" "platform_bot" {
  statement {
    sid = "ManageWorkloadRoles"
    actions = [
      "iam:GetRole",
      "iam:CreateRole", # expect: iam-permissions-management-unscoped
      "iam:AttachRolePolicy",
      "iam:PutRolePolicy",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "platform_bot" {
  name   = "platform-bot"
  policy = data.aws_iam_policy_document.platform_bot.json
}
