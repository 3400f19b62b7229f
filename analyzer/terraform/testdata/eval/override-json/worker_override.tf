# A native-syntax override of blocks written in JSON.
resource "aws_sqs_queue" "jobs" {
  name = "jobs-prod"
}

resource "aws_lambda_function" "worker" {
  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
    }
  }
}
