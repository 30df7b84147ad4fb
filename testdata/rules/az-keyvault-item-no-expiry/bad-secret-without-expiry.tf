resource "random_password" "db" {
  length = 32
}

resource "azurerm_key_vault_secret" "db" { # expect: az-keyvault-item-no-expiry
  name         = "db-admin-password"
  value        = random_password.db.result
  key_vault_id = azurerm_key_vault.main.id
  content_type = "password"
}
