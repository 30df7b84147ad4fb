# People sign in through IAM Identity Center: no IAM user, no IAM password.
resource "aws_identitystore_user" "jane" {
  identity_store_id = "d-1234567890"
  display_name      = "Jane Doe"
  user_name         = "jane.doe"

  name {
    given_name  = "Jane"
    family_name = "Doe"
  }
}
