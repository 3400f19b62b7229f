resource "aws_sqs_queue" "ok" {
  name = "still-loaded"
}
resource "aws_vpc" "skipped" {
  cidr_block = cidrsubnet("10.0.0.0/16", 8, 2)
}
