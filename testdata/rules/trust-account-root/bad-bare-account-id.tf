data "aws_iam_policy_document" "ops_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type = "AWS"
      identifiers = [
        "arn:aws:iam::123456789012:role/ops-runner",
        "123456789012", # expect: trust-account-root
      ]
    }
  }
}

resource "aws_iam_role" "ops" {
  name               = "ops"
  assume_role_policy = data.aws_iam_policy_document.ops_trust.json
}
