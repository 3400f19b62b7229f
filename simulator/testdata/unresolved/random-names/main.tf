# Names made unique with random_* resources: unknown until apply.
resource "random_id" "suffix" {
  byte_length = 4
}

resource "random_pet" "topic" {}

resource "aws_iam_role" "worker" {
  name_prefix = "worker-"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "worker" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], Resource = aws_sqs_queue.jobs.arn },
      { Effect = "Allow", Action = ["sns:Publish"], Resource = aws_sns_topic.done.arn },
    ]
  })
}

resource "aws_lambda_function" "worker" {
  function_name = "worker-${random_id.suffix.hex}"
  role          = aws_iam_role.worker.arn
  handler       = "main"
  runtime       = "provided.al2023"
  filename      = "build/worker.zip"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs-${random_id.suffix.hex}"
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.worker.function_name
}

resource "aws_sns_topic" "done" {
  name = "done-${random_pet.topic.id}"
}

resource "aws_iam_role" "audit" {
  name = "audit-${random_id.suffix.hex}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "audit" {
  function_name = "audit-${random_id.suffix.hex}"
  role          = aws_iam_role.audit.arn
  handler       = "main"
  runtime       = "provided.al2023"
  filename      = "build/audit.zip"
}

resource "aws_sns_topic_subscription" "audit" {
  topic_arn = aws_sns_topic.done.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.audit.arn
}

resource "aws_lambda_permission" "audit" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.audit.function_name
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.done.arn
}
