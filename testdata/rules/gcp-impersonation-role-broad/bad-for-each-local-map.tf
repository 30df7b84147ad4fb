locals {
  deployer_roles = {
    deploy = "roles/run.developer"
    act_as = "roles/iam.serviceAccountUser" # expect: gcp-impersonation-role-broad
    build  = "roles/cloudbuild.builds.editor" # expect: gcp-impersonation-role-broad
  }
}

resource "google_project_iam_member" "deployer" {
  for_each = local.deployer_roles
  project  = "acme-prod"
  role     = each.value
  member   = "serviceAccount:deployer@acme-seed.iam.gserviceaccount.com"
}
