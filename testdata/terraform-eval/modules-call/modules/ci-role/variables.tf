variable "name" {
  description = "Role name"
  type        = string
}

variable "actions" {
  description = "What the role may do"
  type        = list(string)
  default     = ["s3:GetObject"]
}

variable "resources" {
  description = "What it may do it on"
  type        = list(string)
  default     = ["arn:aws:s3:::acme-artifacts/*"]
}

variable "github_subject" {
  description = "The `sub` claim of the GitHub workflows that may assume the role"
  type        = string
  default     = "repo:acme/app:ref:refs/heads/main"
}
