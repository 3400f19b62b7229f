variable "name" { type = string }
resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = "arn:aws:iam::123456789012:role/fetched"
  runtime       = "nodejs22.x"
  handler       = "index.handler"
}
output "function_name" { value = aws_lambda_function.this.function_name }
