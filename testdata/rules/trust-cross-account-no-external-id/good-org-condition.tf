provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}

# Another account of the same organisation, pinned by aws:PrincipalOrgID.
data "aws_iam_policy_document" "shared_services_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::210987654321:role/shared-services-deployer"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }
}
