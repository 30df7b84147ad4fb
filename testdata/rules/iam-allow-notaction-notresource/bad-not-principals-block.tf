data "aws_iam_policy_document" "queue" {
  statement {
    effect  = "Allow"
    actions = ["sqs:SendMessage"]
    not_principals { # expect: iam-allow-notaction-notresource
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/legacy-producer"]
    }
    resources = ["arn:aws:sqs:eu-west-1:123456789012:orders"]
  }
}

resource "aws_sqs_queue_policy" "orders" {
  queue_url = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders"
  policy    = data.aws_iam_policy_document.queue.json
}
