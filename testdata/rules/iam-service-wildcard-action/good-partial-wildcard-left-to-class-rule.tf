# `iam:Put*` and `secretsmanager:Get*` are reported by the class rules, with the actions they reach.
data "aws_iam_policy_document" "bootstrap" {
  statement {
    actions   = ["iam:Put*", "secretsmanager:Get*"]
    resources = ["*"]
  }
}
