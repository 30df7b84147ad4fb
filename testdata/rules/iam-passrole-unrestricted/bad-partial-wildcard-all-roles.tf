resource "aws_iam_role" "batch_submitter" {
  name = "batch-submitter"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "states.amazonaws.com" }
    }]
  })
}

# A region condition lowers the finding but does not restrict which service receives the role.
resource "aws_iam_role_policy" "batch_submitter" {
  name = "submit-jobs"
  role = aws_iam_role.batch_submitter.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["batch:SubmitJob", "iam:Pass*"] # expect: iam-passrole-unrestricted
      Resource  = "arn:aws:iam::123456789012:role/*"
      Condition = { StringEquals = { "aws:RequestedRegion" = "eu-west-1" } }
    }]
  })
}
