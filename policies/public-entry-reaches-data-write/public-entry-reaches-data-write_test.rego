package lambdacheck.rules.public_entry_reaches_data_write

# Shaped like `simulate fixtures/public-exposure --format json`: the public
# report URL reaches DeleteItem on the customers table.

fn_arn := "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-public-report"

url_reach := {
	"id": "reach/public-url/*/aws_lambda_function.public_report:$unqualified",
	"kind": "reach",
	"decision": "allowed",
	"steps": [],
	"target": {"address": "aws_lambda_function.public_report", "arn": fn_arn},
	"principal": "*",
	"reach": "public-url",
	"actions": ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"],
}

table_write := {
	"id": "access/aws_lambda_function.public_report->aws_dynamodb_table.customers/Write",
	"kind": "access",
	"decision": "allowed",
	"steps": [],
	"function": {"address": "aws_lambda_function.public_report", "arn": fn_arn},
	"resource": {"address": "aws_dynamodb_table.customers", "arn": "arn:aws:dynamodb:eu-west-1:123456789012:table/acme-exposed-customers"},
	"level": "Write",
	"actions": ["dynamodb:DeleteItem", "dynamodb:PutItem"],
}

chain(entry, last) := {
	"id": sprintf("chain/%s => %s", [entry.id, last.id]),
	"kind": "chain",
	"decision": "allowed",
	"title": "anyone → aws_lambda_function.public_report → Write on aws_dynamodb_table.customers",
	"steps": [],
	"path": [entry.id, last.id],
}

inventory := {"functions": [{
	"address": "aws_lambda_function.public_report",
	"urls": [{"address": "aws_lambda_function_url.public_report", "auth_type": "NONE"}],
}]}

run(flows) := found if {
	found := deny with input as {"inventory": inventory, "flows": flows}
}

test_public_url_reaching_delete_item if {
	c := chain(url_reach, table_write)
	found := run([url_reach, table_write, c])
	count(found) == 1
	some f in found
	f.address == "aws_lambda_function_url.public_report"
	f.flows == [c.id]
	f.message == "anyone on the internet can call the function URL of aws_lambda_function.public_report without credentials → Write on aws_dynamodb_table.customers (dynamodb:DeleteItem, dynamodb:PutItem)"
}

test_public_invoke_reaching_permissions_management_through_two_functions if {
	reach := json.patch(url_reach, [{"op": "replace", "path": "/reach", "value": "public"}, {"op": "replace", "path": "/id", "value": "reach/public/x"}])
	hop := json.patch(table_write, [{"op": "replace", "path": "/id", "value": "access/send"}, {"op": "replace", "path": "/actions", "value": ["sqs:SendMessage"]}])
	invoke := {"id": "invoke/q->worker", "kind": "invoke", "decision": "allowed", "steps": [], "trigger": {"type": "sqs", "function": {"address": "aws_lambda_function.worker"}}}
	perms := {
		"id": "access/worker->bucket/Permissions management",
		"kind": "access",
		"decision": "conditional",
		"steps": [],
		"function": {"address": "aws_lambda_function.worker"},
		"resource": {"address": "aws_s3_bucket.data"},
		"level": "Permissions management",
		"actions": ["s3:PutBucketPolicy"],
	}
	c := {"id": "chain/long", "kind": "chain", "decision": "conditional", "title": "T", "steps": [], "path": [reach.id, hop.id, invoke.id, perms.id]}
	found := run([reach, hop, invoke, perms, c])
	count(found) == 1
	some f in found
	f.address == "aws_lambda_function.public_report"
	startswith(f.message, "any AWS account can invoke aws_lambda_function.public_report → Permissions management on aws_s3_bucket.data (s3:PutBucketPolicy), along T")
}

test_cross_account_entry_is_not_public if {
	acct := json.patch(url_reach, [{"op": "replace", "path": "/reach", "value": "account"}])
	count(run([acct, table_write, chain(acct, table_write)])) == 0
}

test_reads_and_logging_writes_are_not_data_writes if {
	read := json.patch(table_write, [{"op": "replace", "path": "/level", "value": "Read"}, {"op": "replace", "path": "/id", "value": "access/read"}])
	logs := json.patch(table_write, [{"op": "replace", "path": "/actions", "value": ["logs:PutLogEvents", "xray:PutTraceSegments"]}, {"op": "replace", "path": "/id", "value": "access/logs"}])
	count(run([url_reach, read, logs, chain(url_reach, read), chain(url_reach, logs)])) == 0
}

test_denied_chain_is_not_reported if {
	c := json.patch(chain(url_reach, table_write), [{"op": "replace", "path": "/decision", "value": "denied"}])
	count(run([url_reach, table_write, c])) == 0
}

test_many_actions_are_summarised if {
	many := json.patch(table_write, [{"op": "replace", "path": "/actions", "value": ["s3:A", "s3:B", "s3:C", "s3:D", "s3:E", "s3:F", "s3:G"]}])
	found := run([url_reach, many, chain(url_reach, many)])
	some f in found
	contains(f.message, "(s3:A, s3:B, s3:C, s3:D, s3:E, and 2 more)")
}

test_unknown_path_says_why if {
	reach := json.patch(url_reach, [
		{"op": "replace", "path": "/decision", "value": "unknown"},
		{"op": "replace", "path": "/steps", "value": [{"what": "w", "decision": "unknown", "reason": "the URL's creation date is unknown", "statements": []}]},
	])
	c := json.patch(chain(reach, table_write), [{"op": "replace", "path": "/decision", "value": "unknown"}])
	found := run([reach, table_write, c])
	some f in found
	endswith(f.message, "(dynamodb:DeleteItem, dynamodb:PutItem); the path is unknown: the URL's creation date is unknown")
}
