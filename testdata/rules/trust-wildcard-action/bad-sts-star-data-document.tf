data "aws_iam_policy_document" "ci_trust" {
  statement {
    actions = ["sts:*"] # expect: trust-wildcard-action
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/ci-runner"]
    }
  }
}

resource "aws_iam_role" "ci" {
  name               = "ci-deployer"
  assume_role_policy = data.aws_iam_policy_document.ci_trust.json
}
