data "aws_iam_policy_document" "automation" {
  statement {
    sid         = "EverythingButIam"
    effect      = "Allow"
    not_actions = ["iam:*", "organizations:*"] # expect: iam-allow-notaction-notresource
    resources   = ["*"]
  }
}

resource "aws_iam_policy" "automation" {
  name   = "automation"
  policy = data.aws_iam_policy_document.automation.json
}
