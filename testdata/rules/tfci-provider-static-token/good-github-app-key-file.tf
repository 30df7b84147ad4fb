variable "app_key_path" {
  type = string
}

provider "github" {
  owner = "acme"
  app_auth {
    id              = "123456"
    installation_id = "7890123"
    pem_file        = file(var.app_key_path)
  }
}
