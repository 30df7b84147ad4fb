# A service principal is not web identity: there is no token audience to check.
resource "aws_iam_role" "lambda" {
  name = "orders-handler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}
