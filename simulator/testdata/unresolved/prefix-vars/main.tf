# Names come from a variable with no default, as in most real applications
# scanned without -var; everything is wired by reference.
variable "prefix" {
  type = string
}

variable "region" {}

provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "ingest" {
  name = "${var.prefix}-ingest"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "ingest" {
  name = "ingest"
  role = aws_iam_role.ingest.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = "${aws_s3_bucket.uploads.arn}/*" },
      { Effect = "Allow", Action = ["dynamodb:PutItem"], Resource = aws_dynamodb_table.items.arn },
      # A stream policy scoped to the stream, as AWS's own example writes it.
      { Effect = "Allow", Action = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"], Resource = "${aws_dynamodb_table.items.arn}/stream/*" },
      { Effect = "Allow", Action = ["lambda:InvokeFunction"], Resource = resource.aws_lambda_function.notify.arn },
    ]
  })
}

resource "aws_lambda_function" "ingest" {
  function_name = "${var.prefix}-ingest"
  role          = aws_iam_role.ingest.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "build/ingest.zip"
}

resource "aws_lambda_function" "notify" {
  function_name = "${var.prefix}-notify"
  role          = aws_iam_role.ingest.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "build/notify.zip"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "${var.prefix}-uploads-${data.aws_caller_identity.current.account_id}"
}

resource "aws_lambda_permission" "uploads" {
  statement_id   = "AllowS3"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.ingest.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.uploads.arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  lambda_function {
    lambda_function_arn = resource.aws_lambda_function.ingest.arn
    events              = ["s3:ObjectCreated:*"]
  }
  depends_on = [aws_lambda_permission.uploads]
}

resource "aws_dynamodb_table" "items" {
  name             = "${var.prefix}-items"
  hash_key         = "id"
  billing_mode     = "PAY_PER_REQUEST"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_lambda_event_source_mapping" "items" {
  event_source_arn  = aws_dynamodb_table.items.stream_arn
  function_name     = aws_lambda_function.ingest.arn
  starting_position = "LATEST"
}

resource "aws_cloudwatch_log_group" "app" {
  name = "/app/${var.prefix}"
}

resource "aws_lambda_permission" "logs" {
  statement_id  = "AllowLogs"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.notify.function_name
  # The regional form of the service principal is valid too.
  principal  = "logs.${var.region}.amazonaws.com"
  source_arn = "${aws_cloudwatch_log_group.app.arn}:*"
}

resource "aws_cloudwatch_log_subscription_filter" "app" {
  name            = "errors"
  log_group_name  = aws_cloudwatch_log_group.app.name
  filter_pattern  = "ERROR"
  destination_arn = aws_lambda_function.notify.arn
  depends_on      = [aws_lambda_permission.logs]
}
