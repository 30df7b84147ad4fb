data "aws_iam_policy_document" "deployer" {
  statement {
    sid = "DeployEverything"
    actions = [
      "iam:*", # expect: iam-service-wildcard-action
      "s3:*",  # expect: iam-service-wildcard-action
      "cloudwatch:PutMetricData",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "deployer" {
  name   = "deployer"
  policy = data.aws_iam_policy_document.deployer.json
}
