resource "aws_sqs_queue" "typo" {
  name = "jobs-fifo.fifo"
}
