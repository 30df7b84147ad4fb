#!/usr/bin/env python3
"""Generate a synthetic monorepo of realistic identity configuration for benchmarks.

usage: gen.py OUT_DIR [--tf N] [--k8s N] [--workflows N] [--seed S]

Terraform modules (IAM roles with trust and inline policies, users, attachments, lambdas),
Kubernetes manifests (ServiceAccount + Role + RoleBinding + Deployment bundles) and GitHub
workflows (OIDC and static-key deploys), with a realistic share of risky settings. The
output is deterministic for a seed.
"""
import argparse
import os
import random

TF_ROLE = '''resource "aws_iam_role" "{name}" {{
  name = "{name}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = {{ Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }}
      Condition = {{
        StringEquals = {{ "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }}
        StringLike   = {{ "token.actions.githubusercontent.com:sub" = "{sub}" }}
      }}
    }}]
  }})
  tags = local.tags
}}

resource "aws_iam_role_policy" "{name}" {{
  name = "{name}-inline"
  role = aws_iam_role.{name}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect   = "Allow"
        Action   = {actions}
        Resource = "{resource}"
      }},
      {{
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:aws:logs:eu-west-1:111122223333:log-group:/app/{name}:*"
      }},
    ]
  }})
}}
'''

TF_DOC = '''data "aws_iam_policy_document" "{name}" {{
  statement {{
    sid       = "Read"
    effect    = "Allow"
    actions   = {actions}
    resources = ["{resource}"]
  }}
}}

resource "aws_iam_policy" "{name}" {{
  name   = "{name}"
  policy = data.aws_iam_policy_document.{name}.json
}}

resource "aws_iam_role_policy_attachment" "{name}" {{
  role       = aws_iam_role.{role}.name
  policy_arn = aws_iam_policy.{name}.arn
}}
'''

TF_USER = '''resource "aws_iam_user" "{name}" {{
  name = "{name}"
}}

resource "aws_iam_access_key" "{name}" {{
  user = aws_iam_user.{name}.name
}}

resource "aws_iam_user_policy_attachment" "{name}" {{
  user       = aws_iam_user.{name}.name
  policy_arn = "{arn}"
}}
'''

TF_LAMBDA = '''resource "aws_lambda_function" "{name}" {{
  function_name = "{name}"
  role          = aws_iam_role.{role}.arn
  handler       = "main.handler"
  runtime       = "python3.12"
  filename      = "{name}.zip"
  environment {{
    variables = {{
      STAGE     = "prod"
      LOG_LEVEL = "info"
      {extra}
    }}
  }}
}}
'''

TF_LOCALS = '''locals {
  tags = {
    owner   = "platform"
    service = "svc"
  }
}

variable "region" {
  type    = string
  default = "eu-west-1"
}
'''

K8S = '''apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
  namespace: {ns}
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/{name}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {name}
  namespace: {ns}
rules:
- apiGroups: [""]
  resources: [{resources}]
  verbs: [{verbs}]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {name}
  namespace: {ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {name}
subjects:
- kind: ServiceAccount
  name: {name}
  namespace: {ns}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      serviceAccountName: {sa}
      containers:
      - name: app
        image: registry.example.com/{name}:1.4.2
        ports:
        - containerPort: 8080
        env:
        - name: LOG_LEVEL
          value: info
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {name}-db
              key: password
        resources:
          limits:
            cpu: 500m
            memory: 256Mi
'''

WORKFLOW = '''name: deploy-{name}

on:
  push:
    branches: [main]
  {trigger}

permissions:
  contents: read
  {idtoken}

jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
        with:
          persist-credentials: false
      - run: make test

  deploy:
    runs-on: ubuntu-latest
    needs: test
    {environment}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
        with:
          persist-credentials: false
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          {auth}
          aws-region: eu-west-1
      - run: ./deploy.sh
        env:
          API_TOKEN: ${{{{ secrets.DEPLOY_API_TOKEN }}}}
'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--tf", type=int, default=20000)
    ap.add_argument("--k8s", type=int, default=10000)
    ap.add_argument("--workflows", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    total = 0

    def write(path, text):
        nonlocal total
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        total += len(text)

    # Terraform: modules of 5 files each
    for m in range(a.tf // 5):
        d = os.path.join(a.out, "infra", f"team{m % 40}", f"svc{m}")
        role = f"svc{m}_runner"
        risky = rnd.random()
        actions = '["s3:GetObject", "s3:PutObject"]' if risky > 0.2 else '["iam:PassRole", "ec2:RunInstances"]'
        resource = f"arn:aws:s3:::bucket-{m}/*" if risky > 0.2 else "*"
        sub = f"repo:acme/svc{m}:ref:refs/heads/main" if risky > 0.1 else "repo:acme/*"
        write(os.path.join(d, "role.tf"), TF_ROLE.format(name=role, actions=actions, resource=resource, sub=sub))
        write(os.path.join(d, "policy.tf"), TF_DOC.format(name=f"svc{m}_read", role=role, actions='["sqs:ReceiveMessage", "sqs:DeleteMessage"]', resource=f"arn:aws:sqs:eu-west-1:111122223333:q{m}"))
        arn = "arn:aws:iam::aws:policy/ReadOnlyAccess" if rnd.random() > 0.05 else "arn:aws:iam::aws:policy/AdministratorAccess"
        write(os.path.join(d, "user.tf"), TF_USER.format(name=f"svc{m}_bot", arn=arn))
        extra = 'API_KEY = "sk_live_51H' + "x" * 20 + '"' if rnd.random() < 0.02 else 'REGION = "eu-west-1"'
        write(os.path.join(d, "lambda.tf"), TF_LAMBDA.format(name=f"svc{m}_fn", role=role, extra=extra))
        write(os.path.join(d, "main.tf"), TF_LOCALS)

    # Kubernetes: one bundle per file
    for k in range(a.k8s):
        ns = f"team{k % 60}"
        name = f"app{k}"
        secret_read = rnd.random() < 0.1
        write(
            os.path.join(a.out, "deploy", ns, f"{name}.yaml"),
            K8S.format(
                name=name,
                ns=ns,
                sa=name if rnd.random() > 0.05 else "default",
                resources='"configmaps", "secrets"' if secret_read else '"configmaps"',
                verbs='"get", "list", "watch"',
            ),
        )

    # Workflows
    for w in range(a.workflows):
        static = rnd.random() < 0.15
        auth = (
            "aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}"
            if static
            else f"role-to-assume: arn:aws:iam::111122223333:role/svc{w}_runner"
        )
        write(
            os.path.join(a.out, ".github", "workflows", f"deploy-{w}.yml"),
            WORKFLOW.format(
                name=w,
                trigger="pull_request_target:" if rnd.random() < 0.05 else "workflow_dispatch:",
                idtoken="id-token: write" if not static else "",
                environment="environment: production" if rnd.random() > 0.3 else "",
                auth=auth,
            ),
        )
    print(f"wrote {total / 1e6:.1f} MB to {a.out}")


if __name__ == "__main__":
    main()
