data "aws_iam_policy_document" "automation" {
  statement {
    effect    = "Allow"
    actions   = ["ec2:StartInstances", "ec2:StopInstances"]
    resources = ["arn:aws:ec2:eu-west-1:123456789012:instance/*"]
  }
  statement {
    effect      = "Deny"
    not_actions = ["ec2:StartInstances", "ec2:StopInstances", "ec2:Describe*"]
    resources   = ["*"]
  }
}
