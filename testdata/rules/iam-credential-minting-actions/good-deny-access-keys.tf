data "aws_iam_policy_document" "guard" {
  statement {
    effect    = "Deny"
    actions   = ["iam:CreateAccessKey", "iam:CreateLoginProfile", "sts:GetFederationToken"]
    resources = ["*"]
  }
}
