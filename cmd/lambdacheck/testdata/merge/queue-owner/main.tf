terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# Account A owns the queue; account B's consumer polls it.
resource "aws_sqs_queue" "shared" {
  name = "shared-orders"
}

resource "aws_sqs_queue_policy" "shared" {
  queue_url = aws_sqs_queue.shared.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ConsumerAccount"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:role/orders-consumer" }
      Action    = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
      Resource  = aws_sqs_queue.shared.arn
    }]
  })
}
