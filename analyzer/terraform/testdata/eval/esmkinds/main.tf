# Event source mappings whose source ARN is known only after apply still
# have a kind, from the resource type their event_source_arn refers to.
variable "name" {} # unset: the names below are unknown

variable "use_queue" {
  type = bool
}

resource "aws_lambda_function" "f" {
  function_name = "consumer"
  role          = "arn:aws:iam::123456789012:role/consumer"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_mq_broker" "orders" {
  broker_name = "orders"
}

resource "aws_mq_broker" "unnamed" {
  broker_name = var.name
}

resource "aws_msk_cluster" "events" {
  cluster_name = "events"
}

resource "aws_msk_serverless_cluster" "unnamed" {
  cluster_name = var.name
}

resource "aws_docdb_cluster" "ledger" {
  cluster_identifier = "ledger"
}

resource "aws_dynamodb_table" "unnamed" {
  name           = var.name
  hash_key       = "id"
  stream_enabled = true
}

resource "aws_sqs_queue" "q" {
  name = "q"
}

resource "aws_kinesis_stream" "s" {
  name = var.name
}

resource "aws_lambda_event_source_mapping" "mq" {
  event_source_arn = aws_mq_broker.orders.arn
  function_name    = aws_lambda_function.f.arn
  queues           = ["orders"]
}

resource "aws_lambda_event_source_mapping" "mq_unnamed" {
  event_source_arn = aws_mq_broker.unnamed.arn
  function_name    = aws_lambda_function.f.arn
  queues           = ["orders"]
}

resource "aws_lambda_event_source_mapping" "msk" {
  event_source_arn = aws_msk_cluster.events.arn
  function_name    = aws_lambda_function.f.arn
  topics           = ["clicks"]
}

resource "aws_lambda_event_source_mapping" "msk_unnamed" {
  event_source_arn = aws_msk_serverless_cluster.unnamed.arn
  function_name    = aws_lambda_function.f.arn
  topics           = ["clicks"]
}

resource "aws_lambda_event_source_mapping" "docdb" {
  event_source_arn = aws_docdb_cluster.ledger.arn
  function_name    = aws_lambda_function.f.arn
}

resource "aws_lambda_event_source_mapping" "stream_unnamed" {
  event_source_arn = resource.aws_dynamodb_table.unnamed.stream_arn
  function_name    = aws_lambda_function.f.arn
}

# A queue or a stream: the kind stays unknown.
resource "aws_lambda_event_source_mapping" "either" {
  event_source_arn = var.use_queue ? aws_sqs_queue.q.arn : aws_kinesis_stream.s.arn
  function_name    = aws_lambda_function.f.arn
}
