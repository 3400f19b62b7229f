# Thumbnails: an image uploaded under uploads/ in the uploads bucket triggers
# the thumbnail function, which writes a resized copy to the thumbnails
# bucket. Failed asynchronous invocations land in an SQS dead-letter queue.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region = var.region

  # Fake credentials and no AWS calls, so `terraform plan` runs offline.
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "prefix" {
  type    = string
  default = "acme-photos"
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "uploads" {
  bucket = "${var.prefix}-uploads"
}

resource "aws_s3_bucket" "thumbnails" {
  bucket = "${var.prefix}-thumbnails"
}

resource "aws_sqs_queue" "thumbnail_dlq" {
  name                      = "${var.prefix}-thumbnail-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_lambda_function" "thumbnail" {
  function_name = "${var.prefix}-thumbnail"
  role          = aws_iam_role.thumbnail.arn
  runtime       = "python3.12"
  handler       = "thumbnail.handler"
  filename      = "${path.module}/build/thumbnail.zip"
  memory_size   = 1024
  timeout       = 60

  environment {
    variables = {
      THUMBNAIL_BUCKET = aws_s3_bucket.thumbnails.bucket
      MAX_WIDTH        = "320"
    }
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.thumbnail_dlq.arn
  }
}

# S3 bucket ARNs carry no account id, so the permission pins both the bucket
# and the owning account (confused-deputy protection).
resource "aws_lambda_permission" "uploads" {
  statement_id   = "AllowUploadsBucket"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.thumbnail.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.uploads.arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  lambda_function {
    lambda_function_arn = aws_lambda_function.thumbnail.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = "uploads/"
    filter_suffix       = ".jpg"
  }

  depends_on = [aws_lambda_permission.uploads]
}

output "thumbnail_function_arn" {
  value = aws_lambda_function.thumbnail.arn
}
