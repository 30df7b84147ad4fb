resource "azurerm_key_vault_key" "signing" { # expect: az-keyvault-item-no-expiry
  name         = "token-signing"
  key_vault_id = azurerm_key_vault.main.id
  key_type     = "RSA"
  key_size     = 3072
  key_opts     = ["sign", "verify"]
}
