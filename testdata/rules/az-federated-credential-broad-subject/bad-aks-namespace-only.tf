resource "azurerm_federated_identity_credential" "payments" {
  name                = "aks-payments"
  resource_group_name = "rg-payments"
  parent_id           = azurerm_user_assigned_identity.payments.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/"
  subject             = "system:serviceaccount:payments" # expect: az-federated-credential-broad-subject
}
