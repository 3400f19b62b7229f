# Applied after main.tf: the stage and the runtime change, the environment
# block is replaced whole, everything else stays.
variable "stage" {
  default = "prod"
}

resource "aws_lambda_function" "worker" {
  runtime = "python3.13"

  environment {
    variables = {
      TABLE_NAME = "orders"
    }
  }
}
