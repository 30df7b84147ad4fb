resource "aws_iam_user" "bot" {
  for_each = toset(["ticket-bot", "backup-bot"])
  name     = each.key
}

# One key per bot: both instances are reported on this line, one per address.
resource "aws_iam_access_key" "bot" { # expect: aws-iam-access-key
  for_each = aws_iam_user.bot
  user     = each.value.name
}
