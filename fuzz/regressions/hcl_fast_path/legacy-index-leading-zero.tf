resource "aws_lambda_function" "f" {
  role = "${aws_iam_role.r.01}"
}
