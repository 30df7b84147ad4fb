resource "aws_launch_template" "runner" {
  name_prefix   = "ci-runner-"
  image_id      = "ami-0c55b159cbfafe1f0"
  instance_type = "c6i.large"

  user_data = <<EOT
#!/bin/bash
/opt/runner/configure --url https://ci.example.com --key tEsTfIxTuRe/n0tArEaLkEy/Z7qRsTuVwXy23456
EOT
}
