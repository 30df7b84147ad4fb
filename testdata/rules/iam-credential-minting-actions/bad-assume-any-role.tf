data "aws_iam_policy_document" "orchestrator" {
  statement {
    sid       = "HopAnywhere"
    actions   = ["sts:AssumeRole", "sts:TagSession"] # expect: iam-credential-minting-actions
    resources = ["*"]
  }
}

resource "aws_iam_policy" "orchestrator" {
  name   = "orchestrator"
  policy = data.aws_iam_policy_document.orchestrator.json
}
