resource "aws_iam_user" "terraform" {
  name = "svc-terraform"
}

resource "aws_iam_group" "platform" {
  name = "platform-automation"
}

resource "aws_iam_user_policy_attachment" "terraform_iam" {
  user       = aws_iam_user.terraform.name
  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess" # expect: iam-managed-admin-policy
}

resource "aws_iam_group_policy_attachment" "platform_org" {
  group      = aws_iam_group.platform.name
  policy_arn = "arn:aws:iam::aws:policy/AWSOrganizationsFullAccess" # expect: iam-managed-admin-policy
}
