variable "name" { type = string }
variable "consumer" { default = null }
resource "aws_sqs_queue" "this" {
  name = var.name
}
output "queue_arn" { value = aws_sqs_queue.this.arn }
output "path" { value = path.module }
