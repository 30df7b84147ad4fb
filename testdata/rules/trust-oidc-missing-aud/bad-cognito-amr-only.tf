# Cognito identity pools: the `aud` claim is the identity pool id; without it any pool's users match.
resource "aws_iam_role" "mobile_authenticated" {
  name = "mobile-authenticated"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "cognito-identity.amazonaws.com" } # expect: trust-oidc-missing-aud
      Condition = {
        "ForAnyValue:StringLike" = { "cognito-identity.amazonaws.com:amr" = "authenticated" }
      }
    }]
  })
}
