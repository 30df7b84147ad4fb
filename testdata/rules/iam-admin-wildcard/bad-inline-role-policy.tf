resource "aws_iam_role" "ops_bot" {
  name = "ops-bot"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "ops_bot" {
  name = "ops-bot-everything"
  role = aws_iam_role.ops_bot.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*" # expect: iam-admin-wildcard
      Resource = "*"
    }]
  })
}
