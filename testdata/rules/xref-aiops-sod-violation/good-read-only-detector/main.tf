resource "aws_iam_role" "anomaly_detector" {
  name = "anomaly-detector"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
  tags = {
    "nhiaudit:function" = "detect"
  }
}

resource "aws_iam_role_policy" "anomaly_detector" {
  name = "detect"
  role = aws_iam_role.anomaly_detector.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "logs:FilterLogEvents", "ec2:DescribeInstances"]
      Resource = "*"
    }]
  })
}
