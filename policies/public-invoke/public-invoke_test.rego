package lambdacheck.rules.public_invoke

# Trimmed from `simulate fixtures/public-exposure --format json`.

webhook_reach := {
	"id": "reach/public/000000000000/aws_lambda_function.webhook:$unqualified",
	"kind": "reach",
	"decision": "allowed",
	"title": "any AWS account can lambda:InvokeFunction aws_lambda_function.webhook",
	"steps": [{
		"what": "any AWS account may lambda:InvokeFunction",
		"decision": "allowed",
		"reason": "cross-account: both the resource-based policy and the principal's identity policies allow",
		"principal": "arn:aws:sts::000000000000:assumed-role/caller/probe",
		"action": "lambda:InvokeFunction",
		"resource": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-webhook",
		"statements": [
			{"policy": "caller's own identity policy (assumed to allow)", "layer": "identity", "index": 0, "effect": "Allow", "line": 1, "certain": true},
			{"policy": "resource-policy", "layer": "resource", "index": 0, "sid": "AllowAnyone", "effect": "Allow", "file": "url.tf", "line": 54, "certain": true},
		],
	}],
	"actions": ["lambda:InvokeFunction"],
	"target": {"address": "aws_lambda_function.webhook", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-webhook", "file": "url.tf", "line": 54},
	"principal": "000000000000",
	"reach": "public",
}

inventory := {"functions": [
	{
		"address": "aws_lambda_function.webhook",
		"name": "acme-exposed-webhook",
		"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-webhook",
		"permissions": [{
			"address": "aws_lambda_permission.webhook_public",
			"file": "url.tf",
			"line": 62,
			"statement_id": "AllowAnyone",
			"action": "lambda:InvokeFunction",
			"principal": "*",
		}],
		"resource_policies": [{"name": "resource-policy", "address": "aws_lambda_function.webhook"}],
	},
	{
		"address": "aws_lambda_function.org_sync",
		"name": "acme-exposed-org-sync",
		"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-org-sync",
		"permissions": [{
			"address": "aws_lambda_permission.org_sync",
			"statement_id": "AllowOrganization",
			"action": "lambda:InvokeFunction",
			"principal": "*",
			"principal_org_id": "o-a1b2c3d4e5",
		}],
	},
]}

test_principal_star_without_condition_is_public if {
	found := deny with input as {"inventory": inventory, "flows": [webhook_reach]}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.webhook_public"
	f.flows == [webhook_reach.id]
	f.message == "any AWS account can call lambda:InvokeFunction on aws_lambda_function.webhook (statement \"AllowAnyone\" of its resource-based policy), with no condition"
}

test_conditional_public_grant_names_the_condition if {
	cond := json.patch(webhook_reach, [
		{"op": "replace", "path": "/decision", "value": "conditional"},
		{"op": "add", "path": "/steps/0/statements/1/certain", "value": false},
		{"op": "add", "path": "/steps/0/statements/1/condition", "value": "IpAddress aws:SourceIp 203.0.113.0/24"},
	])
	found := deny with input as {"inventory": inventory, "flows": [cond]}
	count(found) == 1
	some f in found
	endswith(f.message, ", provided IpAddress aws:SourceIp 203.0.113.0/24")
}

test_alias_grant_from_full_resource_policy_points_at_policy if {
	fl := json.patch(webhook_reach, [
		{"op": "replace", "path": "/target/arn", "value": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-webhook:live"},
		{"op": "replace", "path": "/steps/0/statements/1/sid", "value": "Everyone"},
	])
	inv := {"functions": [{
		"address": "aws_lambda_function.webhook",
		"permissions": [],
		"resource_policies": [{"qualifier": "live", "address": "aws_lambda_resource_policy.webhook_live"}],
	}]}
	found := deny with input as {"inventory": inv, "flows": [fl]}
	some f in found
	f.address == "aws_lambda_resource_policy.webhook_live"
	contains(f.message, "(qualifier live)")
}

# The organization-only grant (principal_org_id) is denied to the outside
# probe, so the simulator emits no public reach flow for it.
test_organization_only_grant_is_not_public if {
	count(deny) == 0 with input as {"inventory": inventory, "flows": []}
}

test_cross_account_and_service_reach_are_not_public if {
	acct := json.patch(webhook_reach, [{"op": "replace", "path": "/reach", "value": "account"}, {"op": "replace", "path": "/principal", "value": "444455556666"}])
	svc := json.patch(webhook_reach, [{"op": "replace", "path": "/reach", "value": "service"}, {"op": "replace", "path": "/principal", "value": "sns.amazonaws.com"}])
	count(deny) == 0 with input as {"inventory": inventory, "flows": [acct, svc]}
}

test_unknown_public_reach_is_not_reported if {
	unknown := json.patch(webhook_reach, [{"op": "replace", "path": "/decision", "value": "unknown"}])
	count(deny) == 0 with input as {"inventory": inventory, "flows": [unknown]}
}
