# Reading which keys exist (for a rotation report) creates none.
resource "aws_iam_user" "legacy_sync" {
  name = "svc-legacy-sync"
}

data "aws_iam_access_keys" "legacy_sync" {
  user = aws_iam_user.legacy_sync.name
}

output "legacy_sync_key_ages" {
  value = data.aws_iam_access_keys.legacy_sync.access_keys[*].create_date
}
