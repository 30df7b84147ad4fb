# The ticketing bot predates the role-based setup: an IAM user with a static key, shared
# with the on-call engineers who also log in with it to check the console.

resource "aws_iam_user" "ticket_bot" {
  name = "svc-ticket-bot"
  tags = local.tags
}

resource "aws_iam_access_key" "ticket_bot" {
  user = aws_iam_user.ticket_bot.name
}

resource "aws_iam_user_login_profile" "ticket_bot" {
  user = aws_iam_user.ticket_bot.name
}

resource "aws_iam_user_policy" "ticket_bot" {
  name = "tickets"
  user = aws_iam_user.ticket_bot.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sns:Publish", "iam:CreateAccessKey"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_lambda_function" "notifier" {
  function_name = "incident-notifier"
  role          = aws_iam_role.runner.arn
  handler       = "main.handler"
  runtime       = "python3.12"
  filename      = "notifier.zip"

  environment {
    variables = {
      CHANNEL     = "#incidents"
      SLACK_TOKEN = "xoxb-2718281828-3141592653-QwErTyUiOpAsDfGhJkLzXcVb"
    }
  }
}
