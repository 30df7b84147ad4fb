# The same module called with what the job needs: no wildcard reaches it.
module "deployer" {
  source  = "./modules/role"
  actions = ["codebuild:StartBuild", "codebuild:BatchGetBuilds"]
}
