provider "google" {
  credentials = file("credentials.json")
  project     = "acme"
}

provider "kubernetes" {
  token = "${var.cluster_token_prefix}-${var.cluster_token}"
}

resource "google_secret_manager_secret_version" "placeholder" {
  secret      = "db"
  secret_data = "secret-data"
}

resource "aws_codebuild_project" "build" {
  name = "build"
  environment {
    compute_type = "BUILD_GENERAL1_SMALL"
    image        = "aws/codebuild/standard:7.0"
    type         = "LINUX_CONTAINER"
    environment_variable {
      name  = "DB_PASSWORD_PARAMETER"
      value = "/prod/db/password"
      type  = "PARAMETER_STORE"
    }
  }
}

module "app" {
  source          = "./app"
  client_secret   = "AZURE_CLIENT_SECRET"
  api_token       = "changeme"
  db_password     = ""
  password_policy = "The password must be rotated every 90 days"
}

variable "secret_name" {
  default = "prod/app/secret"
}

# AWS provider keys belong to aws-provider-static-credentials, not to this rule.
provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIA2E0A8F3B244C9986"
  secret_key = "vJ7pZ0q2XbW9sT4nR6yL1mK8hF3dC5gA0eU2iO7w"
}
