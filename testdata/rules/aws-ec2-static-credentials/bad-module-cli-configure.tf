# The joined script has no exact position of its own: the finding starts at the value.
module "legacy_worker" {
  source = "./modules/worker"
  user_data = join("\n", [ # expect: aws-ec2-static-credentials
    "#!/bin/bash",
    "aws configure set aws_access_key_id \"$(cat /etc/legacy/key-id)\"",
    "aws configure set aws_secret_access_key \"$(cat /etc/legacy/secret)\"",
  ])
}
