resource "azurerm_user_assigned_identity" "rotator" {
  name                = "secret-rotator"
  resource_group_name = "platform"
  location            = "westeurope"
}

resource "azurerm_role_assignment" "rotator_secrets" {
  scope                = "/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333"
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = azurerm_user_assigned_identity.rotator.principal_id
}

resource "azurerm_federated_identity_credential" "rotator" {
  name                = "aks-secret-rotator"
  resource_group_name = "platform"
  parent_id           = azurerm_user_assigned_identity.rotator.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://westeurope.oic.prod-aks.azure.com/9f3c2a1b-0d4e-4f5a-8b6c-7d8e9f0a1b2c/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9/"
  subject             = "system:serviceaccount:platform:secret-rotator"
}
