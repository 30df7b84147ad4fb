resource "aws_iam_access_key" "ci" {
  user = "ci"
}

output "ci_key_id" {
  value = aws_iam_access_key.ci.id
}

output "ci_sa_email" {
  value = google_service_account.ci.email
}
