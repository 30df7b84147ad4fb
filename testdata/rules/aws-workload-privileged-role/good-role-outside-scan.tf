# The role is managed elsewhere: nothing in this module says what it can do.
resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::111122223333:role/api-execution"
  handler       = "main.handler"
  runtime       = "python3.12"
  filename      = "api.zip"
}

resource "aws_iam_role" "unused_admin" {
  name = "unused-admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "unused_admin" {
  role       = aws_iam_role.unused_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
