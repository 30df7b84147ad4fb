variable "gitlab_token" {
  type    = string
  default = "glpat-tEsTfIxTuRe11111111" # expect: tfci-provider-static-token
}

provider "gitlab" {
  base_url = "https://gitlab.acme.example/api/v4"
  token    = var.gitlab_token
}
