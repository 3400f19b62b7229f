# METADATA
# scope: package
# title: Missing poll permissions
# description: >-
#   An enabled event source mapping (SQS, Kinesis, DynamoDB Streams, MSK,
#   Kafka, MQ, DocumentDB) cannot read its source: Lambda polls with the
#   function's execution role, and the simulation denies one of the read
#   actions the source type needs, or kms:Decrypt on the source's customer
#   managed key. The mapping deploys, but no record is ever delivered.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
#     description: Using Lambda with Amazon SQS (execution role permissions)
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
#     description: Using Lambda with Kinesis Data Streams (execution role permissions)
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
#     description: Using Lambda with DynamoDB Streams (execution role permissions)
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html
#     description: Lambda event source mappings
#   - ref: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
#     description: SQS server-side encryption with a customer managed key (consumers need kms:Decrypt)
# custom:
#   id: LC002
#   short_code: missing-poll-permissions
#   severity: high
#   remediation: >-
#     Grant the execution role the read actions the source type needs on the
#     source ARN itself — SQS: sqs:ReceiveMessage, sqs:DeleteMessage,
#     sqs:GetQueueAttributes on the queue; Kinesis: kinesis:GetRecords,
#     GetShardIterator, DescribeStream, DescribeStreamSummary, ListShards
#     on the stream; DynamoDB Streams: dynamodb:DescribeStream, GetRecords,
#     GetShardIterator on the stream ARN (table/NAME/stream/*, not the
#     table; dynamodb:ListStreams is not needed) — or attach the matching AWS managed
#     AWSLambda*ExecutionRole policy. When the source is encrypted with a
#     customer managed KMS key, also allow kms:Decrypt on that key (and make
#     sure the key policy delegates to IAM or names the role).
package lambdacheck.rules.missing_poll_permissions

import data.lambdacheck.lib

deny contains finding if {
	some fl in lib.invoke_flows
	fl.trigger.kind == "poll"
	fl.trigger.enabled == true
	denied := [s | some s in fl.steps; s.decision == "denied"; execution_role_read(s)]
	count(denied) > 0
	finding := {
		"message": sprintf("%s event source mapping %s cannot poll %s for %s: the execution role is denied %s (%s)", [
			fl.trigger.type,
			mapping_address(fl.trigger),
			source_name(fl.trigger),
			lib.ref_name(fl.trigger.function),
			concat(", ", [describe(s) | some s in denied]),
			denied[0].reason,
		]),
		"address": mapping_address(fl.trigger),
		"flows": [fl.id],
	}
}

# execution_role_read: a step in which the execution role (an assumed-role
# session, never a service principal) reads the source or its key.
execution_role_read(s) if {
	s.action != "sts:AssumeRole"
	not endswith(object.get(s, "principal", ""), ".amazonaws.com")
}

describe(s) := sprintf("%s on the source's customer managed key %s", [s.action, s.resource]) if {
	startswith(s.action, "kms:")
} else := sprintf("%s on %s", [s.action, s.resource])

mapping_address(t) := t.address if {
	object.get(t, "address", "") != ""
} else := lib.ref_name(t.function)

# A self-managed Kafka cluster has no ARN: it is named by its kind.
source_name(t) := object.get(t.source, "arn", "") if {
	object.get(t.source, "arn", "") != ""
} else := "its self-managed cluster"
