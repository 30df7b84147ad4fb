terraform {
  backend "s3" {
    bucket  = "tf-state-123456789012"
    key     = "app/terraform.tfstate"
    region  = "eu-west-1"
    profile = "platform-state"
  }
}

provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/terraform-deployer"
    session_name = "terraform"
    external_id  = "deploy-7f3e9a"
  }
}
