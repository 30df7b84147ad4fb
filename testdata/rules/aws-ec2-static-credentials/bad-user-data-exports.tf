variable "key_id" {
  type = string
}

variable "secret" {
  type      = string
  sensitive = true
}

resource "aws_instance" "worker" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  user_data     = <<-EOT
    #!/bin/bash
    export AWS_ACCESS_KEY_ID=${var.key_id}
    export AWS_SECRET_ACCESS_KEY=${var.secret}
    /opt/worker/bin/start
  EOT
}
