resource "aws_instance" "worker" {
  ami                  = "ami-0c55b159cbfafe1f0"
  instance_type        = "t3.micro"
  iam_instance_profile = "worker"

  metadata_options {
    http_tokens = "required"
  }

  user_data = <<-EOT
    #!/bin/bash
    export AWS_REGION=eu-west-1
    export AWS_DEFAULT_REGION=eu-west-1
    aws s3 cp s3://worker-artifacts-123456789012/worker.tar.gz /opt/worker/
  EOT
}
