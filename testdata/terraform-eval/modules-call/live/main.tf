# Two deployments of one role module: the first is handed every action, the second only what
# its job needs.
module "deployer" {
  source         = "../modules/ci-role"
  name           = "deployer"
  actions        = ["*"]
  resources      = ["*"]
  github_subject = "repo:acme/*"
}

module "reader" {
  source  = "../modules/ci-role"
  name    = "artifact-reader"
  actions = ["s3:ListBucket"]
}

# Not local: never fetched.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
}
