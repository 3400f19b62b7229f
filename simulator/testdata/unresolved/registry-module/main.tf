# A registry module that `terraform init` has not downloaded.
module "processor" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "7.2.0"

  function_name = "processor"
  handler       = "index.handler"
  runtime       = "python3.12"
}

resource "aws_sns_topic" "events" {
  name = "events"
}

resource "aws_sns_topic_subscription" "processor" {
  topic_arn = aws_sns_topic.events.arn
  protocol  = "lambda"
  endpoint  = module.processor.lambda_function_arn
}

resource "aws_lambda_permission" "processor" {
  action        = "lambda:InvokeFunction"
  function_name = module.processor.lambda_function_name
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.events.arn
}
