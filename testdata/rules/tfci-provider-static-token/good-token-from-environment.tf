# GITHUB_TOKEN comes from the environment of the run.
provider "github" {
  owner = "acme"
}

variable "gitlab_token" {
  type      = string
  sensitive = true
}

provider "gitlab" {
  token = var.gitlab_token
}
