# The module is safe with its defaults; this call hands it every action.
module "deployer" {
  source  = "./modules/role"
  actions = ["*"]
}
