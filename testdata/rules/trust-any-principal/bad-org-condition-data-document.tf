# The organisation condition lowers the finding; the principal is still any AWS principal.
data "aws_iam_policy_document" "shared_reader_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"] # expect: trust-any-principal
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }
}

resource "aws_iam_role" "shared_reader" {
  name               = "org-shared-reader"
  assume_role_policy = data.aws_iam_policy_document.shared_reader_trust.json
}
