package lambdacheck.rules.missing_destination_permissions

# Trimmed from the broken-triggers fixture (notify's dead-letter topic) and
# from auth-workflow / stream-analytics for destinations.

notify_dlq := {
	"id": "access/aws_lambda_function.fn[\"notify\"]->arn:aws:sns:eu-west-1:123456789012:acme-broken-notify-dlq/dead-letter",
	"kind": "access",
	"decision": "denied",
	"steps": [{
		"what": "execution role may sns:Publish",
		"decision": "denied",
		"reason": "no identity policy allows the action and the resource-based policy does not grant the principal",
		"principal": "arn:aws:sts::123456789012:assumed-role/acme-broken-notify/acme-broken-notify",
		"action": "sns:Publish",
		"resource": "arn:aws:sns:eu-west-1:123456789012:acme-broken-notify-dlq",
		"statements": [],
	}],
	"function": {"address": "aws_lambda_function.fn[\"notify\"]", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-notify", "file": "main.tf", "line": 63},
	"resource": {"address": "aws_sns_topic.notify_dlq", "arn": "arn:aws:sns:eu-west-1:123456789012:acme-broken-notify-dlq", "file": "events.tf", "line": 34},
	"level": "Write",
	"actions": ["sns:Publish"],
	"purpose": "dead-letter",
}

failed_queue := "arn:aws:sqs:eu-west-1:123456789012:acme-auth-welcome-failed"

welcome_failure := {
	"id": "access/aws_lambda_function.send_welcome->arn:aws:sqs:eu-west-1:123456789012:acme-auth-welcome-failed/destination-on-failure",
	"kind": "access",
	"decision": "denied",
	"steps": [
		{
			"what": "execution role may sqs:SendMessage",
			"decision": "allowed",
			"reason": "an identity policy allows the action",
			"action": "sqs:SendMessage",
			"resource": failed_queue,
			"statements": [],
		},
		{
			"what": "execution role may kms:GenerateDataKey with arn:aws:kms:eu-west-1:123456789012:key/k",
			"decision": "denied",
			"reason": "the key policy does not delegate to IAM and does not name the role",
			"action": "kms:GenerateDataKey",
			"resource": "arn:aws:kms:eu-west-1:123456789012:key/k",
			"statements": [],
		},
	],
	"function": {"address": "aws_lambda_function.send_welcome", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-auth-send-welcome"},
	"resource": {"address": "aws_sqs_queue.welcome_failed", "arn": failed_queue},
	"level": "Write",
	"actions": ["sqs:SendMessage"],
	"purpose": "destination-on-failure",
}

auth_inventory := {"functions": [{
	"address": "aws_lambda_function.send_welcome",
	"name": "acme-auth-send-welcome",
	"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-auth-send-welcome",
	"async_configs": [{
		"address": "aws_lambda_function_event_invoke_config.send_welcome",
		"file": "destinations.tf",
		"line": 3,
		"on_success": "arn:aws:sns:eu-west-1:123456789012:acme-auth-welcome-sent",
		"on_failure": failed_queue,
	}],
}]}

ops_topic := "arn:aws:sns:eu-west-1:123456789012:acme-analytics-ops"

enrich_on_failure := {
	"id": "access/module.enrich.aws_lambda_function.this->arn:aws:sns:eu-west-1:123456789012:acme-analytics-ops/event-source-on-failure",
	"kind": "access",
	"decision": "denied",
	"steps": [{
		"what": "execution role may sns:Publish",
		"decision": "denied",
		"reason": "no identity policy allows the action",
		"action": "sns:Publish",
		"resource": ops_topic,
		"statements": [],
	}],
	"function": {"address": "module.enrich.aws_lambda_function.this", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-analytics-enrich"},
	"resource": {"address": "aws_sns_topic.ops", "arn": ops_topic},
	"level": "Write",
	"actions": ["sns:Publish"],
	"purpose": "event-source-on-failure",
}

stream_inventory := {"functions": [], "triggers": [{
	"address": "aws_lambda_event_source_mapping.clicks",
	"kind": "poll",
	"service": "kinesis",
	"function_address": "module.enrich.aws_lambda_function.this",
	"on_failure": ops_topic,
	"enabled": true,
}]}

test_dead_letter_topic_without_sns_publish_is_reported_on_the_function if {
	found := deny with input as {"inventory": {"functions": []}, "flows": [notify_dlq]}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_function.fn[\"notify\"]"
	f.flows == [notify_dlq.id]
	contains(f.message, "the dead-letter target of aws_lambda_function.fn[\"notify\"] is aws_sns_topic.notify_dlq")
	contains(f.message, "denied sns:Publish on arn:aws:sns:eu-west-1:123456789012:acme-broken-notify-dlq")
}

test_async_failure_destination_points_at_event_invoke_config if {
	found := deny with input as {"inventory": auth_inventory, "flows": [welcome_failure]}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_function_event_invoke_config.send_welcome"
	contains(f.message, "on-failure destination")
	contains(f.message, "kms:GenerateDataKey on arn:aws:kms:eu-west-1:123456789012:key/k")
	not contains(f.message, "sqs:SendMessage on")
}

test_event_source_on_failure_points_at_mapping if {
	found := deny with input as {"inventory": stream_inventory, "flows": [enrich_on_failure]}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_event_source_mapping.clicks"
}

test_allowed_destination_is_not_reported if {
	ok := json.patch(notify_dlq, [
		{"op": "replace", "path": "/decision", "value": "allowed"},
		{"op": "replace", "path": "/steps/0/decision", "value": "allowed"},
	])
	count(deny) == 0 with input as {"inventory": {}, "flows": [ok]}
}

test_ordinary_denied_access_is_not_a_destination if {
	plain := json.remove(notify_dlq, ["/purpose"])
	count(deny) == 0 with input as {"inventory": {}, "flows": [plain]}
}

test_unknown_destination_is_not_reported if {
	unknown := json.patch(notify_dlq, [{"op": "replace", "path": "/decision", "value": "unknown"}])
	count(deny) == 0 with input as {"inventory": {}, "flows": [unknown]}
}
