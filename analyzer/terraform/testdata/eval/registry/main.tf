module "downloaded" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "7.20.0"
  name    = "fetched"
}

module "missing" {
  source  = "terraform-aws-modules/sqs/aws"
  version = "4.0.0"
}

resource "aws_lambda_permission" "p" {
  statement_id  = "FromQueue"
  action        = "lambda:InvokeFunction"
  function_name = module.downloaded.function_name
  principal     = "sqs.amazonaws.com"
  source_arn    = module.missing.queue_arn
}

# Added to the configuration after terraform init: not in modules.json.
module "later" {
  source = "terraform-aws-modules/sns/aws"
  count  = 2
}
