# A plain comment that is not a waiver.
resource "aws_lambda_function" "api" {
  function_name = "api"
  runtime       = "python3.8" # lambdacheck:ignore:TST003 pinned until the vendor SDK supports 3.12
}

# Exposed on purpose: the status page is public.
# lambdacheck:ignore:TST001,trigger-denied public status page, reviewed in SEC-88
resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "NONE"
}

// lambdacheck:ignore:TST002
resource "aws_s3_bucket_notification" "in" {
  bucket = "in"
}

# lambdacheck:ignore:TST002 this comment is separated by a blank line and does not count

resource "aws_s3_bucket_notification" "other" {
  bucket = "other"
}
