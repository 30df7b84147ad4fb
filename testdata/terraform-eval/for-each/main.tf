locals {
  team_actions = {
    observers = ["cloudwatch:GetMetricData", "logs:FilterLogEvents"]
    operators = ["ec2:*"]
    breakglass = ["*"]
  }
}

resource "aws_iam_policy" "team" {
  for_each = local.team_actions
  name     = "team-${each.key}"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = each.value, Resource = "*" }]
  })
}

resource "aws_iam_user" "bot" {
  for_each = toset(["ticket-bot", "backup-bot"])
  name     = each.key
}

resource "aws_iam_access_key" "bot" {
  for_each = aws_iam_user.bot
  user     = each.value.name
}

resource "aws_iam_user" "legacy" {
  count = 2
  name  = "legacy-${count.index}"
}

resource "aws_iam_access_key" "legacy" {
  count = length(aws_iam_user.legacy)
  user  = aws_iam_user.legacy[count.index].name
}

variable "extra_admins" {
  type = set(string)
}

resource "aws_iam_policy" "extra" {
  for_each = var.extra_admins
  name     = each.key
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "disabled" {
  count = 0
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
