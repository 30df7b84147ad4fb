variable "metadata_tokens" {
  type = string
}

resource "aws_instance" "web" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.micro"
  iam_instance_profile = "web-profile"

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}

# No instance profile: nothing to steal from the metadata service.
resource "aws_instance" "bastion" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.nano"
}

# The metadata service is off.
resource "aws_instance" "isolated" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.micro"
  iam_instance_profile = "isolated-profile"
  metadata_options {
    http_endpoint = "disabled"
  }
}

# Decided by the caller: not guessed.
resource "aws_instance" "configurable" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.micro"
  iam_instance_profile = "configurable-profile"
  metadata_options {
    http_tokens = var.metadata_tokens
  }
}

resource "aws_launch_template" "api" {
  name_prefix = "api-"
  image_id    = "ami-0abcdef1234567890"
  iam_instance_profile {
    name = "api"
  }
  metadata_options {
    http_tokens = "required"
  }
}

# An empty profile name is no profile.
resource "aws_launch_configuration" "plain" {
  name_prefix          = "plain-"
  image_id             = "ami-0abcdef1234567890"
  instance_type        = "t3.small"
  iam_instance_profile = ""
}
