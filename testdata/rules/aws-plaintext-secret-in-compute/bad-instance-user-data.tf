resource "aws_instance" "worker" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"

  user_data = <<-EOT
    #!/bin/bash
    set -euo pipefail
    export APP_ENV=production
    export DB_PASSWORD="Tr0ub4dor-worker-prod"
    /opt/worker/bin/start
  EOT
}
