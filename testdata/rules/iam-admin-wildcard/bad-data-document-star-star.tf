data "aws_iam_policy_document" "deployer" {
  statement {
    sid       = "TerraformApplyAnything"
    effect    = "Allow"
    actions   = ["*:*"] # expect: iam-admin-wildcard
    resources = ["arn:aws:*:*:*:*"]
  }
}

resource "aws_iam_policy" "deployer" {
  name   = "terraform-deployer"
  policy = data.aws_iam_policy_document.deployer.json
}
