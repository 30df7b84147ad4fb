data "aws_iam_policy_document" "deployer" {
  statement {
    sid       = "PassAnyRole"
    actions   = ["iam:PassRole"] # expect: iam-passrole-unrestricted
    resources = ["*"]
  }
  statement {
    sid       = "Deploy"
    actions   = ["ecs:RegisterTaskDefinition", "ecs:UpdateService"]
    resources = ["*"]
  }
}
