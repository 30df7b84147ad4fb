resource "aws_iam_user" "legacy_sync" {
  name = "svc-legacy-sync"
}

resource "aws_iam_user_policy_attachment" "legacy_sync" {
  user       = aws_iam_user.legacy_sync.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Rotation in progress: both keys are active, and the new one is PGP-encrypted.
resource "aws_iam_access_key" "legacy_sync_old" { # expect: aws-iam-access-key
  user   = aws_iam_user.legacy_sync.name
  status = "Active"
}

resource "aws_iam_access_key" "legacy_sync_new" { # expect: aws-iam-access-key
  user    = aws_iam_user.legacy_sync.name
  pgp_key = "keybase:platform_team"
}
