variable "names" {
  type    = set(string)
  default = ["a", "b"]
}
variable "missing" {}
locals {
  prefix = "app-${terraform.workspace}"
  tags   = { Team = "x" }
}
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "east"
  region = "us-east-1"
}
resource "aws_thing" "t" {
  for_each = var.names
  name     = "${local.prefix}-${each.key}"
  dynamic "rule" {
    for_each = [1, 2]
    content {
      n = rule.value * 10
    }
  }
  environment = {
    variables = local.tags
  }
}
resource "aws_other" "o" {
  count    = 2
  provider = aws.east
  ref      = aws_thing.t["a"].name
  idx      = count.index
  miss     = var.missing
  computed = aws_thing.t["b"].arn
}
module "fn" {
  source = "./modules/fn"
  name   = aws_other.o[1].ref
}
module "remote" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "7.0.0"
}
resource "aws_use" "u" {
  a = module.fn.out
  b = module.remote.lambda_function_arn
  c = file("${path.module}/policy.json")
}
