package lambdacheck.rules.missing_poll_permissions

# Trimmed copies of the broken-triggers fixture's poll flows.

role := "arn:aws:sts::123456789012:assumed-role/acme-broken-ledger/acme-broken-ledger"

queue := "arn:aws:sqs:eu-west-1:123456789012:acme-broken-ledger"

key := "arn:aws:kms:eu-west-1:123456789012:key/<aws_kms_key.ledger.key_id>"

read_step(action, resource, decision) := {
	"what": sprintf("execution role may %s", [action]),
	"decision": decision,
	"reason": "no identity policy allows the action and the resource-based policy does not grant the principal",
	"principal": role,
	"action": action,
	"resource": resource,
	"statements": [],
}

assume_step(decision) := {
	"what": "lambda.amazonaws.com may assume role acme-broken-ledger",
	"decision": decision,
	"reason": "the resource-based policy grants the service principal",
	"principal": "lambda.amazonaws.com",
	"action": "sts:AssumeRole",
	"resource": "arn:aws:iam::123456789012:role/acme-broken-ledger",
	"statements": [],
}

poll_flow(steps, decision) := {
	"id": "invoke/aws_lambda_event_source_mapping.ledger->aws_lambda_function.fn[\"ledger\"]",
	"kind": "invoke",
	"decision": decision,
	"steps": array.concat([{"what": "trigger enabled", "decision": "allowed", "reason": "enabled", "statements": []}], steps),
	"trigger": {
		"type": "sqs",
		"kind": "poll",
		"address": "aws_lambda_event_source_mapping.ledger",
		"source": {"arn": queue},
		"function": {"address": "aws_lambda_function.fn[\"ledger\"]", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-ledger", "file": "main.tf", "line": 63},
		"enabled": true,
	},
}

ledger := poll_flow(
	[
		read_step("sqs:ReceiveMessage", queue, "allowed"),
		read_step("sqs:DeleteMessage", queue, "allowed"),
		read_step("sqs:GetQueueAttributes", queue, "allowed"),
		read_step("kms:Decrypt", key, "denied"),
		assume_step("allowed"),
	],
	"denied",
)

test_missing_kms_decrypt_on_customer_key_is_reported if {
	found := deny with input as {"flows": [ledger]}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_event_source_mapping.ledger"
	f.flows == [ledger.id]
	contains(f.message, "kms:Decrypt on the source's customer managed key arn:aws:kms:eu-west-1:123456789012:key/<aws_kms_key.ledger.key_id>")
	contains(f.message, "cannot poll arn:aws:sqs:eu-west-1:123456789012:acme-broken-ledger")
	not contains(f.message, "sqs:ReceiveMessage")
}

test_every_denied_read_action_is_named if {
	stream := "arn:aws:dynamodb:eu-west-1:123456789012:table/acme-broken-inventory/stream/<label>"
	fl := poll_flow(
		[
			read_step("dynamodb:DescribeStream", stream, "denied"),
			read_step("dynamodb:GetRecords", stream, "denied"),
			read_step("dynamodb:GetShardIterator", stream, "denied"),
			read_step("dynamodb:ListStreams", "*", "allowed"),
			assume_step("allowed"),
		],
		"denied",
	)
	found := deny with input as {"flows": [fl]}
	count(found) == 1
	some f in found
	contains(f.message, "dynamodb:DescribeStream on arn:aws:dynamodb:eu-west-1:123456789012:table/acme-broken-inventory/stream/<label>, dynamodb:GetRecords on")
	contains(f.message, "dynamodb:GetShardIterator")
	not contains(f.message, "ListStreams")
}

test_allowed_poll_is_not_reported if {
	fl := poll_flow([read_step("sqs:ReceiveMessage", queue, "allowed"), assume_step("allowed")], "allowed")
	count(deny) == 0 with input as {"flows": [fl]}
}

test_only_lambda_trust_denied_is_broken_trigger_not_this_rule if {
	fl := poll_flow([read_step("sqs:ReceiveMessage", queue, "allowed"), assume_step("denied")], "denied")
	count(deny) == 0 with input as {"flows": [fl]}
}

test_conditional_read_is_not_reported if {
	fl := poll_flow([read_step("sqs:ReceiveMessage", queue, "conditional"), assume_step("allowed")], "conditional")
	count(deny) == 0 with input as {"flows": [fl]}
}

test_disabled_mapping_is_not_reported if {
	fl := json.patch(ledger, [{"op": "replace", "path": "/trigger/enabled", "value": false}])
	count(deny) == 0 with input as {"flows": [fl]}
}

test_push_trigger_is_not_reported if {
	fl := json.patch(ledger, [{"op": "replace", "path": "/trigger/kind", "value": "push"}])
	count(deny) == 0 with input as {"flows": [fl]}
}
