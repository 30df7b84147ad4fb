# `dynamic` blocks are expanded over their `for_each` as Terraform does.
variable "read_services" {
  type    = list(string)
  default = ["ec2", "secretsmanager"]
}

variable "extra_statements" {
  type = list(object({ actions = list(string), resources = list(string) }))
}

locals {
  ci_subjects = {
    main    = "repo:acme/app:ref:refs/heads/main"
    release = "repo:acme/app:*"
  }
}

# A "read-only" policy built per service: `secretsmanager:Get*` reads every secret.
data "aws_iam_policy_document" "read_only" {
  dynamic "statement" {
    for_each = toset(var.read_services)
    content {
      sid       = statement.value
      actions   = ["${statement.value}:Describe*", "${statement.value}:Get*"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_policy" "read_only" {
  name   = "read-only"
  policy = data.aws_iam_policy_document.read_only.json
}

# A custom iterator name over a map, with dynamic conditions inside.
data "aws_iam_policy_document" "ci_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]
    }
    dynamic "condition" {
      for_each = local.ci_subjects
      iterator = sub
      content {
        test     = "StringLike"
        variable = "token.actions.githubusercontent.com:sub"
        values   = [sub.value]
      }
    }
  }
}

resource "aws_iam_role" "ci" {
  name               = "ci"
  assume_role_policy = data.aws_iam_policy_document.ci_trust.json
}

# Statements from a variable without default cannot be known: nothing is guessed.
data "aws_iam_policy_document" "extra" {
  dynamic "statement" {
    for_each = var.extra_statements
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_policy" "extra" {
  name   = "extra"
  policy = data.aws_iam_policy_document.extra.json
}

# An empty collection generates no statement.
data "aws_iam_policy_document" "none" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]
  }
  dynamic "statement" {
    for_each = []
    content {
      actions   = ["*"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_policy" "none" {
  name   = "none"
  policy = data.aws_iam_policy_document.none.json
}
