# No principal in the scan uses this document: it is judged on its own.
data "aws_iam_policy_document" "release" {
  statement {
    sid = "ShipCode"
    actions = [
      "lambda:GetFunction",
      "lambda:UpdateFunctionCode", # expect: iam-privilege-escalation-combo
    ]
    resources = ["arn:aws:lambda:*:123456789012:function:*"]
  }
}

resource "aws_iam_policy" "release" {
  name   = "release-functions"
  policy = data.aws_iam_policy_document.release.json
}
