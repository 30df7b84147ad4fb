# The key is "only" a variable default: it is still committed with the code.
variable "aws_access_key" {
  type    = string
  default = "AKIAQ4FAKEFIXTURE001" # expect: aws-provider-static-credentials
}

variable "aws_secret_key" {
  type      = string
  sensitive = true
}

provider "aws" {
  region     = "us-east-1"
  access_key = var.aws_access_key
  secret_key = var.aws_secret_key
}
