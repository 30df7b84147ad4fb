resource "aws_iam_user" "legacy_sync" {
  name = "svc-legacy-sync"
}

# Disabled during the migration to role assumption; kept one release for rollback.
resource "aws_iam_access_key" "legacy_sync" {
  user   = aws_iam_user.legacy_sync.name
  status = "Inactive"
}
