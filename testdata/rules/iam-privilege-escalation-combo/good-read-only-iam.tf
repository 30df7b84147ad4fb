data "aws_iam_policy_document" "access_review" {
  statement {
    actions = [
      "iam:Get*",
      "iam:List*",
      "iam:GenerateCredentialReport",
      "iam:GenerateServiceLastAccessedDetails",
    ]
    resources = ["*"]
  }
}
