resource "time_offset" "db_secret" {
  offset_days = 90
}

resource "azurerm_key_vault_secret" "db" {
  name            = "db-admin-password"
  value           = random_password.db.result
  key_vault_id    = azurerm_key_vault.main.id
  expiration_date = time_offset.db_secret.rfc3339
}
