variable "name" { type = string }
output "out" { value = "${var.name}-out-${path.module}" }
resource "aws_inner" "i" { n = var.name }
