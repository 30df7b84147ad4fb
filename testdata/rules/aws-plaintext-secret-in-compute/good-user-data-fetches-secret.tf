resource "aws_instance" "worker" {
  ami                  = "ami-0c55b159cbfafe1f0"
  instance_type        = "t3.micro"
  iam_instance_profile = "worker"

  user_data = <<-EOT
    #!/bin/bash
    set -euo pipefail
    DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id prod/worker/db --query SecretString --output text)
    GIT_SHA=da39a3ee5e6b4b0d3255bfef95601890afd80709
    export DB_PASSWORD GIT_SHA
    /opt/worker/bin/start
  EOT
}
