provider "aws" {
  region = "eu-central-1"
}

provider "aws" {
  alias  = "east"
  region = "us-east-1"
}

# module.api consumes module.queue's output and the other way round for a
# different output: evaluation must go output by output, not module by module.
module "queue" {
  source   = "./modules/queue"
  name     = "jobs"
  consumer = module.api.function_arn
  providers = {
    aws = aws.east
  }
}

module "api" {
  source    = "./modules/api"
  for_each  = toset(["a", "b"])
  name      = "api-${each.key}"
  queue_arn = module.queue.queue_arn
}
