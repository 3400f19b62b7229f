variable "name" { type = string }
variable "queue_arn" { type = string }
resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = "arn:aws:iam::123456789012:role/${var.name}"
  runtime       = "python3.12"
  handler       = "index.handler"
  environment {
    variables = { QUEUE = var.queue_arn }
  }
}
resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn = var.queue_arn
  function_name    = aws_lambda_function.this.arn
}
output "function_arn" { value = aws_lambda_function.this.arn }
