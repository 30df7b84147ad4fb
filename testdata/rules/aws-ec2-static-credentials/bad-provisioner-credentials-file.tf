resource "aws_instance" "bastion" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  key_name      = "ops"

  provisioner "file" {
    source      = "secrets/ops-credentials"
    destination = "/home/ec2-user/.aws/credentials" # expect: aws-ec2-static-credentials
  }
}
