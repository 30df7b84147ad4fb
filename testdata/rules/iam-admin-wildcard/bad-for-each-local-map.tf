locals {
  team_actions = {
    observers  = ["cloudwatch:GetMetricData"]
    breakglass = ["*"] # expect: iam-admin-wildcard
  }
}

# One policy per team: only the breakglass instance is an administrator.
resource "aws_iam_policy" "team" {
  for_each = local.team_actions
  name     = "team-${each.key}"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = each.value, Resource = "*" }]
  })
}
