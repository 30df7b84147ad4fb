# Restarting and scaling are reversible operations, not destruction.
resource "aws_iam_policy" "oncall_bot" {
  name = "oncall-bot"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ec2:RebootInstances", "ec2:StopInstances", "ec2:StartInstances", "ecs:UpdateService", "autoscaling:SetDesiredCapacity"]
      Resource = "*"
    }]
  })
}
