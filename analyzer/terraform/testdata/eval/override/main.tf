provider "aws" {
  region = "eu-west-1"
}

variable "stage" {
  type    = string
  default = "dev"
}

locals {
  prefix = "acme-${var.stage}"
}

resource "aws_iam_role" "worker" {
  name = "${local.prefix}-worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "worker" {
  function_name = "${local.prefix}-worker"
  role          = aws_iam_role.worker.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "worker.zip"
  timeout       = 30

  environment {
    variables = {
      LOG_LEVEL = "info"
    }
  }
}
