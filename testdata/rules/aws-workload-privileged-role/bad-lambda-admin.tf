resource "aws_iam_role" "api" {
  name = "api"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "api_admin" {
  role       = aws_iam_role.api.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = aws_iam_role.api.arn # expect: aws-workload-privileged-role
  handler       = "main.handler"
  runtime       = "python3.12"
  filename      = "api.zip"
}
