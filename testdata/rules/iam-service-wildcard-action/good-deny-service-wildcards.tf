data "aws_iam_policy_document" "ci" {
  statement {
    sid       = "Deploy"
    actions   = ["ecs:UpdateService", "ecs:DescribeServices"]
    resources = ["arn:aws:ecs:eu-west-1:123456789012:service/prod/api"]
  }

  statement {
    sid       = "NeverTouchIam"
    effect    = "Deny"
    actions   = ["iam:*", "organizations:*", "sts:*"]
    resources = ["*"]
  }
}
