resource "aws_iam_role" "etl" {
  name = "etl"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "glue.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "etl_tables" {
  name = "etl-tables"
  role = aws_iam_role.etl.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:*"] # expect: iam-service-wildcard-action
      Resource = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"
    }]
  })
}
