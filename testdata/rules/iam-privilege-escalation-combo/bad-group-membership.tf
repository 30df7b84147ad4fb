# The group's policy reaches the user through the membership: both can escalate.
resource "aws_iam_group" "admins_lite" { # expect: iam-privilege-escalation-combo
  name = "ops-lite"
}

resource "aws_iam_user" "oncall_bot" { # expect: iam-privilege-escalation-combo
  name = "oncall-bot"
}

resource "aws_iam_group_policy" "admins_lite" {
  name  = "attach-policies"
  group = aws_iam_group.admins_lite.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:AttachUserPolicy", "iam:ListAttachedUserPolicies"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_user_group_membership" "oncall_bot" {
  user   = aws_iam_user.oncall_bot.name
  groups = [aws_iam_group.admins_lite.name]
}
