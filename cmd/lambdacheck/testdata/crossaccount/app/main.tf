terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  lambda_trust = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "api" {
  name               = "acme-api"
  assume_role_policy = local.lambda_trust
}

# Reaches into the data account (a queue whose policy admits this role)
# and into a partner's topic outside the organization.
resource "aws_iam_role_policy" "api" {
  name = "egress"
  role = aws_iam_role.api.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "ToDataQueue", Effect = "Allow", Action = "sqs:SendMessage", Resource = "arn:aws:sqs:eu-west-1:222222222222:acme-ingest" },
      { Sid = "ToPartnerTopic", Effect = "Allow", Action = ["sns:Publish", "sns:GetTopicAttributes"], Resource = "arn:aws:sns:eu-west-1:999988887777:partner-events" },
    ]
  })
}

resource "aws_lambda_function" "api" {
  function_name = "acme-api"
  role          = aws_iam_role.api.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "api.zip"
}

resource "aws_lambda_permission" "org" {
  statement_id     = "AllowOrganization"
  action           = "lambda:InvokeFunction"
  function_name    = aws_lambda_function.api.function_name
  principal        = "*"
  principal_org_id = "o-acme000001"
}

resource "aws_lambda_permission" "partner" {
  statement_id  = "AllowPartner"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "444455556666"
}

resource "aws_lambda_permission" "stranger" {
  statement_id  = "AllowStranger"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "arn:aws:iam::999988887777:role/importer"
}

resource "aws_lambda_permission" "sns" {
  statement_id  = "AllowAnyTopic"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "sns.amazonaws.com"
}

resource "aws_iam_role" "hook" {
  name               = "acme-hook"
  assume_role_policy = local.lambda_trust
}

resource "aws_lambda_function" "hook" {
  function_name = "acme-hook"
  role          = aws_iam_role.hook.arn
  runtime       = "python3.13"
  handler       = "hook.handler"
  filename      = "hook.zip"
}

resource "aws_lambda_permission" "hook_public" {
  statement_id  = "AllowEveryone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.hook.function_name
  principal     = "*"
}
