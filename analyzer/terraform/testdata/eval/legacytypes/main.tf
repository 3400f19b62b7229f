# Terraform 0.11 variable types: bare list/map are list(any)/map(any);
# quoted forms are read with a deprecation warning.
variable "queues" {
  type    = list
  default = ["orders", "refunds"]
}

variable "tags" {
  type    = "map"
  default = { team = "payments" }
}

variable "prefix" {
  type    = "string"
  default = "legacy"
}

resource "aws_sqs_queue" "q" {
  count = length(var.queues)
  name  = "${var.prefix}-${var.queues[count.index]}"
  tags  = var.tags
}
