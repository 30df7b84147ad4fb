resource "time_rotating" "ci" {
  rotation_days = 60
}

resource "azuread_application_password" "ci" {
  application_id      = azuread_application.ci.id
  end_date_relative   = "2160h"
  rotate_when_changed = { rotation = time_rotating.ci.id }
}
