# Build artifacts that CI has not built yet, and a policy read from a file
# that is not there.
resource "aws_iam_role" "api" {
  name = "api"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "api" {
  role   = aws_iam_role.api.id
  policy = file("${path.module}/policies/generated.json")
}

resource "aws_lambda_function" "api" {
  function_name    = "api"
  role             = aws_iam_role.api.arn
  handler          = "index.handler"
  runtime          = "nodejs20.x"
  filename         = "build/api.zip"
  source_code_hash = filebase64sha256("build/api.zip")
}

resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "AWS_IAM"
}

resource "aws_sqs_queue" "in" {
  name = "api-in"
}

resource "aws_lambda_event_source_mapping" "in" {
  event_source_arn = aws_sqs_queue.in.arn
  function_name    = aws_lambda_function.api.arn
}
