variable "from_default" { default = "default" }
variable "from_env" { default = "default" }
variable "from_tfvars" { default = "default" }
variable "from_auto" { default = "default" }
variable "from_cli" { default = "default" }
variable "list" {
  type    = list(string)
  default = []
}
variable "unset" { type = string }

resource "aws_sqs_queue" "q" {
  name = join("-", [var.from_default, var.from_env, var.from_tfvars, var.from_auto, var.from_cli, length(var.list)])
}

resource "aws_sns_topic" "t" {
  name = "topic-${var.unset}"
}
