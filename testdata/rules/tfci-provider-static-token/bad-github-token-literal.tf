provider "github" {
  owner = "acme"
  token = "ghp_tEsTfIxTuRe000000000000000000000000" # expect: tfci-provider-static-token
}
