resource "azuread_application_password" "ci" {
  application_id = azuread_application.ci.id
}

output "ci_client_secret" {
  value     = azuread_application_password.ci.value
  sensitive = true
}
