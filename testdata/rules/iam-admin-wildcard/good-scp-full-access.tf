# The organisation's FullAWSAccess SCP allows everything that IAM grants: a guardrail, not a grant.
resource "aws_organizations_policy" "full_access" {
  name = "FullAWSAccess"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}
