terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_sqs_queue" "ingest" {
  name = "acme-ingest"
}

resource "aws_sqs_queue_policy" "ingest" {
  queue_url = aws_sqs_queue.ingest.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "FromApi"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:role/acme-api" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.ingest.arn
    }]
  })
}

resource "aws_iam_role" "ingest" {
  name = "acme-ingest"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "ingest" {
  function_name = "acme-ingest"
  role          = aws_iam_role.ingest.arn
  runtime       = "python3.13"
  handler       = "ingest.handler"
  filename      = "ingest.zip"
}

# The app account may invoke the ingest function: within the organization.
resource "aws_lambda_permission" "app" {
  statement_id  = "AllowAppAccount"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.ingest.function_name
  principal     = "111111111111"
}
