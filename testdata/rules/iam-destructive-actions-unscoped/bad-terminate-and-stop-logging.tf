data "aws_iam_policy_document" "remediator" {
  statement {
    sid = "AutoRemediate"
    actions = [
      "ec2:StopInstances",
      "ec2:TerminateInstances", # expect: iam-destructive-actions-unscoped
      "cloudtrail:StopLogging",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "remediator" {
  name   = "auto-remediator"
  policy = data.aws_iam_policy_document.remediator.json
}
