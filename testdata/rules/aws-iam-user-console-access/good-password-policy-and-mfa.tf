# Account password rules and an MFA device give nobody a password.
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length        = 16
  require_symbols                = true
  allow_users_to_change_password = true
  max_password_age               = 90
}

resource "aws_iam_user" "breakglass" {
  name = "breakglass"
}

resource "aws_iam_virtual_mfa_device" "breakglass" {
  virtual_mfa_device_name = "breakglass"
}
