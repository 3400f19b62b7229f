package lambdacheck.rules.function_url_without_auth

# Inventory and flows trimmed from the public-exposure and auth-workflow
# fixtures.

report_fn := {
	"address": "aws_lambda_function.public_report",
	"name": "acme-exposed-public-report",
	"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-public-report",
	"urls": [{
		"address": "aws_lambda_function_url.public_report",
		"file": "url.tf",
		"line": 33,
		"auth_type": "NONE",
		"invoke_mode": "BUFFERED",
	}],
	"permissions": [{
		"address": "aws_lambda_permission.public_report_url",
		"statement_id": "FunctionURLAllowPublicAccess",
		"action": "lambda:InvokeFunctionUrl",
		"principal": "*",
		"function_url_auth_type": "NONE",
	}],
}

status_fn := {
	"address": "aws_lambda_function.status",
	"name": "acme-auth-status",
	"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-auth-status",
	"urls": [{"address": "aws_lambda_function_url.status", "auth_type": "AWS_IAM"}],
}

public_url_reach := {
	"id": "reach/public-url/*/aws_lambda_function.public_report:$unqualified",
	"kind": "reach",
	"decision": "allowed",
	"steps": [],
	"target": {"address": "aws_lambda_function.public_report", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-public-report", "file": "url.tf", "line": 33},
	"principal": "*",
	"reach": "public-url",
	"actions": ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"],
}

url_invoke_denied := {
	"id": "invoke/aws_lambda_function_url.public_report->aws_lambda_function.public_report",
	"kind": "invoke",
	"decision": "denied",
	"steps": [
		{"what": "function URL configured", "decision": "allowed", "reason": "auth type NONE", "statements": []},
		{"what": "anyone may call the URL (lambda:InvokeFunctionUrl)", "decision": "allowed", "reason": "the resource-based policy grants the principal directly", "statements": []},
		{
			"what": "the URL may invoke the function (lambda:InvokeFunction via URL, required since October 2025)",
			"decision": "denied",
			"reason": "the resource policy does not grant \"*\" lambda:InvokeFunction (with lambda:InvokedViaFunctionUrl)",
			"statements": [],
		},
	],
	"trigger": {
		"type": "function_url",
		"kind": "push",
		"address": "aws_lambda_function_url.public_report",
		"source": {"address": "aws_lambda_function_url.public_report"},
		"function": {"address": "aws_lambda_function.public_report", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-public-report"},
		"enabled": true,
	},
}

test_url_auth_none_reachable_by_anyone if {
	found := deny with input as {"inventory": {"functions": [report_fn]}, "flows": [public_url_reach]}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_function_url.public_report"
	f.flows == [public_url_reach.id]
	contains(f.message, "function URL aws_lambda_function_url.public_report of aws_lambda_function.public_report has AuthType NONE")
	contains(f.message, "anyone on the internet can call it without credentials (public-url reach allowed)")
}

test_url_auth_none_not_reachable_says_which_step_stops_it if {
	found := deny with input as {"inventory": {"functions": [report_fn]}, "flows": [url_invoke_denied]}
	count(found) == 1
	some f in found
	f.flows == [url_invoke_denied.id]
	contains(f.message, "no public caller gets through today")
	contains(f.message, "lambda:InvokedViaFunctionUrl")
}

test_url_auth_none_without_flows_is_still_reported if {
	found := deny with input as {"inventory": {"functions": [report_fn]}, "flows": []}
	count(found) == 1
	some f in found
	f.flows == []
}

test_url_on_alias_matches_its_own_reach_only if {
	alias_fn := json.patch(report_fn, [{"op": "add", "path": "/urls/0/qualifier", "value": "live"}])
	found := deny with input as {"inventory": {"functions": [alias_fn]}, "flows": [public_url_reach]}
	some f in found
	contains(f.message, "aws_lambda_function.public_report:live")
	not contains(f.message, "anyone on the internet")
}

test_url_with_aws_iam_auth_is_not_reported if {
	count(deny) == 0 with input as {"inventory": {"functions": [status_fn]}, "flows": []}
}

test_external_function_is_not_reported if {
	ext := json.patch(report_fn, [{"op": "add", "path": "/external", "value": true}])
	count(deny) == 0 with input as {"inventory": {"functions": [ext]}, "flows": []}
}

test_url_reach_unknown_says_why if {
	unknown := json.patch(public_url_reach, [
		{"op": "replace", "path": "/decision", "value": "unknown"},
		{"op": "replace", "path": "/steps", "value": [{
			"what": "the URL may invoke the function (lambda:InvokeFunction via URL, required since October 2025)",
			"decision": "unknown",
			"reason": "the creation date is unknown",
			"statements": [],
		}]},
	])
	found := deny with input as {"inventory": {"functions": [report_fn]}, "flows": [unknown]}
	some f in found
	endswith(f.message, "has AuthType NONE: anyone on the internet may be able to call it without credentials: the creation date is unknown")
}
