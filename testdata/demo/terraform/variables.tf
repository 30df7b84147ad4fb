variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "github_org" {
  type    = string
  default = "acme"
}

variable "cluster_oidc_issuer" {
  description = "Issuer of the EKS cluster's service account tokens, without https://"
  type        = string
  default     = "oidc.eks.eu-west-1.amazonaws.com/id/5C1A8E0B3F2D4A6C9E7B1D0F2A4C6E8B"
}

locals {
  account_id = "111122223333"
  tags = {
    owner     = "sre-platform"
    component = "auto-remediation"
  }
}

provider "aws" {
  region = var.region
}
