# Execution is this identity's declared function; the detector is a separate role.
resource "aws_iam_role" "restarter" {
  name = "service-restarter"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
  tags = {
    "nhiaudit:function" = "execute"
  }
}

resource "aws_iam_role_policy" "restarter" {
  name = "restart"
  role = aws_iam_role.restarter.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ec2:RebootInstances"]
      Resource = "arn:aws:ec2:eu-west-1:111122223333:instance/*"
      Condition = { StringEquals = { "aws:ResourceTag/restartable" = "true" } }
    }]
  })
}
