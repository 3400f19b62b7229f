package lambdacheck.rules.recursive_loop

# Flows trimmed from `simulate fixtures/recursive-loop --format json`,
# risky-roles (admin_task writes its own queue) and stream-analytics (the
# logging-grant look-alike).

tagger := "aws_lambda_function.fn[\"image-tagger\"]"

tagger_write := {
	"id": "access/aws_lambda_function.fn[\"image-tagger\"]->aws_s3_bucket.images/*/Write",
	"kind": "access",
	"decision": "allowed",
	"steps": [],
	"function": {"address": tagger, "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-loop-image-tagger"},
	"resource": {"address": "aws_s3_bucket.images", "arn": "arn:aws:s3:::acme-loop-images-123456789012/*"},
	"level": "Write",
	"actions": ["s3:PutObject"],
}

tagger_invoke := {
	"id": "invoke/aws_s3_bucket_notification.images->aws_lambda_function.fn[\"image-tagger\"]",
	"kind": "invoke",
	"decision": "allowed",
	"steps": [],
	"trigger": {
		"type": "s3",
		"kind": "push",
		"address": "aws_s3_bucket_notification.images",
		"source": {"arn": "arn:aws:s3:::acme-loop-images-123456789012"},
		"function": {"address": tagger, "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-loop-image-tagger"},
		"enabled": true,
	},
}

tagger_loop := {
	"id": sprintf("chain/%s => %s", [tagger_write.id, tagger_invoke.id]),
	"kind": "chain",
	"decision": "allowed",
	"title": "aws_lambda_function.fn[\"image-tagger\"] → s3:PutObject aws_s3_bucket.images → aws_lambda_function.fn[\"image-tagger\"] (loop)",
	"steps": [],
	"path": [tagger_write.id, tagger_invoke.id],
	"loop": true,
}

inventory := {"functions": [
	{"address": tagger, "recursive_loop": "Terminate"},
	{"address": "aws_lambda_function.fn[\"sns-echo\"]", "recursive_loop": "Allow"},
]}

run(flows) := found if {
	found := deny with input as {"inventory": inventory, "flows": flows}
}

test_function_writing_its_own_bucket_is_a_loop if {
	found := run([tagger_write, tagger_invoke, tagger_loop])
	count(found) == 1
	some f in found
	f.address == tagger
	f.flows == [tagger_loop.id]
	f.message == "aws_lambda_function.fn[\"image-tagger\"] can re-trigger itself: aws_lambda_function.fn[\"image-tagger\"] → s3:PutObject aws_s3_bucket.images → aws_lambda_function.fn[\"image-tagger\"] (loop)"
}

test_loop_detection_turned_off_is_named if {
	echo := "aws_lambda_function.fn[\"sns-echo\"]"
	write := json.patch(tagger_write, [{"op": "replace", "path": "/id", "value": "access/echo"}, {"op": "replace", "path": "/function/address", "value": echo}, {"op": "replace", "path": "/actions", "value": ["sns:Publish"]}])
	invoke := json.patch(tagger_invoke, [{"op": "replace", "path": "/id", "value": "invoke/echo"}, {"op": "replace", "path": "/trigger/type", "value": "sns"}, {"op": "replace", "path": "/trigger/function/address", "value": echo}])
	chain := {"id": "chain/echo", "kind": "chain", "decision": "allowed", "steps": [], "path": ["access/echo", "invoke/echo"], "loop": true}
	found := run([write, invoke, chain])
	some f in found
	f.address == echo
	contains(f.message, "recursive_loop = \"Allow\"")
	contains(f.message, "writes aws_s3_bucket.images (sns:Publish) → sns trigger arn:aws:s3:::acme-loop-images-123456789012 invokes")
}

test_undetected_path_is_named if {
	invoke := json.patch(tagger_invoke, [{"op": "replace", "path": "/trigger/type", "value": "kinesis"}])
	found := run([tagger_write, invoke, tagger_loop])
	some f in found
	contains(f.message, "does not cover this path")
}

test_chains_entering_the_same_cycle_give_one_finding if {
	entry := {
		"id": "invoke/aws_cloudwatch_event_target.legacy_etl->x",
		"kind": "invoke",
		"decision": "allowed",
		"steps": [],
		"trigger": {"type": "schedule", "source": {"address": "aws_cloudwatch_event_rule.legacy_etl"}, "function": {"address": "x"}},
	}
	longer := {
		"id": "chain/long",
		"kind": "chain",
		"decision": "allowed",
		"steps": [],
		"path": [entry.id, tagger_write.id, tagger_invoke.id, tagger_write.id, tagger_invoke.id],
		"loop": true,
	}
	found := run([entry, tagger_write, tagger_invoke, tagger_loop, longer])
	count(found) == 1
	some f in found
	f.flows == [tagger_loop.id]
}

test_logging_grant_look_alike_is_not_a_loop if {
	alerts := "module.alerts.aws_lambda_function.this"
	logs_write := {
		"id": "access/module.alerts.aws_lambda_function.this->*/Write",
		"kind": "access",
		"decision": "allowed",
		"steps": [],
		"function": {"address": alerts},
		"resource": {"arn": "*"},
		"level": "Write",
		"actions": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
		"outside": true,
	}
	logs_invoke := json.patch(tagger_invoke, [{"op": "replace", "path": "/id", "value": "invoke/logs"}, {"op": "replace", "path": "/trigger/type", "value": "logs"}, {"op": "replace", "path": "/trigger/function/address", "value": alerts}])
	chain := {"id": "chain/logs", "kind": "chain", "decision": "allowed", "steps": [], "path": [logs_write.id, "invoke/logs"], "loop": true}
	count(run([logs_write, logs_invoke, chain])) == 0
}

test_non_loop_and_denied_chains_are_not_reported if {
	open := json.patch(tagger_loop, [{"op": "replace", "path": "/loop", "value": false}])
	denied := json.patch(tagger_loop, [{"op": "replace", "path": "/decision", "value": "denied"}, {"op": "replace", "path": "/id", "value": "chain/denied"}])
	count(run([tagger_write, tagger_invoke, open, denied])) == 0
}
