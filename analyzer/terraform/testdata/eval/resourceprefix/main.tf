# References written with Terraform's "resource." prefix, the escape for a
# resource type named like a reserved word, resolve like the bare form.
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = resource.aws_sqs_queue.jobs.arn
  function_name    = resource.aws_lambda_function.worker.arn
}

resource "aws_lambda_permission" "queue" {
  statement_id  = "FromQueue"
  action        = "lambda:InvokeFunction"
  function_name = resource.aws_lambda_function.worker.function_name
  principal     = "sqs.amazonaws.com"
  # Both forms in one expression name the same object.
  source_arn = aws_sqs_queue.jobs.arn == resource.aws_sqs_queue.jobs.arn ? resource.aws_sqs_queue.jobs.arn : "differs"
}
