resource "azurerm_key_vault_key" "signing" {
  name         = "token-signing"
  key_vault_id = azurerm_key_vault.main.id
  key_type     = "RSA"
  key_size     = 3072
  key_opts     = ["sign", "verify"]

  rotation_policy {
    automatic {
      time_before_expiry = "P30D"
    }
    expire_after         = "P180D"
    notify_before_expiry = "P29D"
  }
}
