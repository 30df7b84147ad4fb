provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012", "210987654321"]
}

data "aws_iam_policy_document" "log_shipping_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type = "AWS"
      identifiers = [
        "arn:aws:iam::210987654321:role/log-forwarder",
        "arn:aws:iam::444455556666:role/vendor-ingest", # expect: trust-cross-account-no-external-id
      ]
    }
  }
}

resource "aws_iam_role" "log_shipping" {
  name               = "log-shipping"
  assume_role_policy = data.aws_iam_policy_document.log_shipping_trust.json
}
