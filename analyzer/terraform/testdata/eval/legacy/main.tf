# Terraform 0.11 style: quoted references, attribute-style blocks, a
# Statement written as a single object, heredoc JSON, provider alias region.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "virginia"
  region = "us-east-1"
}

data "aws_caller_identity" "me" {}
data "aws_region" "here" {}
data "aws_partition" "p" {}

data "aws_iam_policy" "basic" {
  name = "AWSLambdaBasicExecutionRole"
}

data "aws_sqs_queue" "existing" {
  name = "legacy-input"
}

resource "aws_iam_role" "r" {
  name               = "legacy"
  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole"
  }
}
EOF
}

resource "aws_iam_role_policy_attachment" "basic" {
  role       = "${aws_iam_role.r.name}"
  policy_arn = "${data.aws_iam_policy.basic.arn}"
}

resource "aws_iam_role_policy" "read" {
  role   = "${aws_iam_role.r.id}"
  policy = templatefile("${path.module}/read.tftpl", { queue = data.aws_sqs_queue.existing.arn })
}

resource "aws_lambda_function" "f" {
  provider      = "aws.virginia"
  function_name = "legacy-${data.aws_region.here.name}-${data.aws_region.here.id}"
  role          = "${aws_iam_role.r.arn}"
  runtime       = "python2.7"
  handler       = "h"
  environment = {
    variables = {
      DB_PASSWORD = "hunter2hunter2"
      ACCOUNT     = "${data.aws_caller_identity.me.account_id}"
      PARTITION   = data.aws_partition.p.partition
    }
  }
}

resource "aws_lambda_event_source_mapping" "m" {
  provider         = aws.virginia
  event_source_arn = format("arn:%s:sqs:%s:%s:%s", data.aws_partition.p.partition, "eu-west-1", data.aws_caller_identity.me.account_id, "legacy-input")
  function_name    = aws_lambda_function.f.function_name
}
