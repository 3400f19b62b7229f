# Two subscription filters on one log group, each to its own function: a
# JSON pattern for server errors and a term pattern for timeouts. A
# subscription delivers only the log events its pattern matches.

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

data "aws_caller_identity" "current" {}

locals {
  functions = ["errors", "timeouts"]
  patterns = {
    errors   = "{ $.level = \"ERROR\" && $.status >= 500 }"
    timeouts = "?TIMEOUT ?\"Task timed out\""
  }
}

resource "aws_iam_role" "fn" {
  for_each = toset(local.functions)
  name     = "acme-logs-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "fn" {
  for_each      = toset(local.functions)
  function_name = "acme-logs-${each.key}"
  role          = aws_iam_role.fn[each.key].arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "build/${each.key}.zip"
}

resource "aws_cloudwatch_log_group" "api" {
  name = "/acme/api"
}

resource "aws_lambda_permission" "logs" {
  for_each       = toset(local.functions)
  statement_id   = "AllowApiLogs"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.fn[each.key].function_name
  principal      = "logs.amazonaws.com"
  source_arn     = "${aws_cloudwatch_log_group.api.arn}:*"
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_cloudwatch_log_subscription_filter" "api" {
  for_each        = toset(local.functions)
  name            = "api-${each.key}"
  log_group_name  = aws_cloudwatch_log_group.api.name
  filter_pattern  = local.patterns[each.key]
  destination_arn = aws_lambda_function.fn[each.key].arn
}
