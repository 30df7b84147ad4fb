module "alerts_lambda" {
  source        = "terraform-aws-modules/lambda/aws"
  version       = "7.2.0"
  function_name = "alerts-to-slack"
  handler       = "index.handler"
  runtime       = "nodejs20.x"

  environment_variables = {
    SLACK_CHANNEL   = "#ops-alerts"
    SLACK_BOT_TOKEN = "xoxb-000000000000-fixture-notarealtoken" # expect: aws-plaintext-secret-in-compute
  }
}
