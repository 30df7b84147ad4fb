provider "datadog" {
  api_key = "5f2b1c9e8d7a6b5c4d3e2f1a0b9c8d7e" # expect: tf-hardcoded-credential
  app_key = "0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b" # expect: tf-hardcoded-credential
}

provider "slack" {
  token = "xoxb-121314151623-121314151623-abcdefghijABCDEFGHIJ1234" # expect: tf-hardcoded-credential
}

terraform {
  cloud {
    organization = "acme"
    token        = "hvs.CAESIJ8qXgU7n4wq9rLmTz" # expect: tf-hardcoded-credential
  }
}
