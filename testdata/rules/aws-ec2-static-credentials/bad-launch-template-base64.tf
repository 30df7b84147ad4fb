# user_data_base64 is decoded: the script inside writes the keys into ~/.aws/credentials.
resource "aws_launch_template" "runner" {
  name_prefix      = "ci-runner-"
  image_id         = "ami-0c55b159cbfafe1f0"
  instance_type    = "c6i.large"
  user_data_base64 = "IyEvYmluL2Jhc2gKY3AgL29wdC9ydW5uZXIvY3JlZHMgL3Jvb3QvLmF3cy9jcmVkZW50aWFscwo=" # expect: aws-ec2-static-credentials
}
