# Two notification configurations of one bucket that S3 refuses together:
# both take ObjectCreated:Put, and a key under incoming/ ending in .csv
# passes both filters. The SNS subscription's filter policy has 6 x 5 x 6 =
# 180 value combinations, over the limit of 150.

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
  functions = ["ingest", "audit", "cleanup", "notify"]
}

resource "aws_iam_role" "fn" {
  for_each = toset(local.functions)
  name     = "acme-drop-${each.key}"
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
  function_name = "acme-drop-${each.key}"
  role          = aws_iam_role.fn[each.key].arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "build/${each.key}.zip"
}

resource "aws_s3_bucket" "drop" {
  bucket = "acme-drop"
}

resource "aws_lambda_permission" "drop" {
  for_each       = toset(["ingest", "audit", "cleanup"])
  statement_id   = "AllowDropBucket"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.fn[each.key].function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.drop.arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "drop" {
  bucket = aws_s3_bucket.drop.id

  lambda_function {
    lambda_function_arn = aws_lambda_function.fn["ingest"].arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = "incoming/"
  }

  lambda_function {
    lambda_function_arn = aws_lambda_function.fn["audit"].arn
    events              = ["s3:ObjectCreated:Put"]
    filter_suffix       = ".csv"
  }

  lambda_function {
    lambda_function_arn = aws_lambda_function.fn["cleanup"].arn
    events              = ["s3:ObjectRemoved:*"]
    filter_prefix       = "incoming/"
  }
}

resource "aws_sns_topic" "alerts" {
  name = "acme-drop-alerts"
}

resource "aws_lambda_permission" "alerts" {
  statement_id  = "AllowAlerts"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn["notify"].function_name
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.alerts.arn
}

resource "aws_sns_topic_subscription" "notify" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.fn["notify"].arn
  filter_policy = jsonencode({
    region   = ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1"]
    severity = ["low", "medium", "high", "critical", "unknown"]
    team     = ["a", "b", "c", "d", "e", "f"]
  })
}
