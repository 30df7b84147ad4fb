resource "aws_iam_instance_profile" "web" {
  name = "web"
  role = "web"
}

resource "aws_instance" "web" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.web.name

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional" # expect: aws-imdsv1-with-instance-role
  }
}

# No metadata_options at all: IMDSv1 unless the AMI or the account says otherwise.
resource "aws_instance" "worker" { # expect: aws-imdsv1-with-instance-role
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.micro"
  iam_instance_profile = "worker-profile"
}

resource "aws_launch_template" "batch" {
  name_prefix   = "batch-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "c6i.large"

  iam_instance_profile {
    arn = "arn:aws:iam::123456789012:instance-profile/batch"
  }

  metadata_options { # expect: aws-imdsv1-with-instance-role
    http_put_response_hop_limit = 2
  }
}

resource "aws_launch_configuration" "legacy" {
  name_prefix          = "legacy-"
  image_id             = "ami-0abcdef1234567890"
  instance_type        = "t3.small"
  iam_instance_profile = aws_iam_instance_profile.web.name
  metadata_options {
    http_tokens = "optional" # expect: aws-imdsv1-with-instance-role
  }
}
