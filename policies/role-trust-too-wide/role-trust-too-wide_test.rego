package lambdacheck.rules.role_trust_too_wide

# Trimmed from `simulate fixtures/risky-roles --format json` (ops_tool's
# trust admits ec2.amazonaws.com and the root of 999988887777).

role_arn := "arn:aws:iam::123456789012:role/acme-risky-ops-tool"

reach(principal, decision) := {
	"id": sprintf("reach/assume-role/%s/aws_iam_role.ops_tool", [principal]),
	"kind": "reach",
	"decision": decision,
	"steps": [{
		"what": sprintf("%s may assume acme-risky-ops-tool", [principal]),
		"decision": decision,
		"reason": "the resource-based policy grants the principal",
		"action": "sts:AssumeRole",
		"resource": role_arn,
		"statements": [{"policy": "trust", "layer": "resource", "index": 1, "effect": "Allow", "file": "escalation.tf", "line": 94, "certain": true}],
	}],
	"actions": ["sts:AssumeRole"],
	"target": {"address": "aws_iam_role.ops_tool", "arn": role_arn, "file": "escalation.tf", "line": 94},
	"principal": principal,
	"reach": "assume-role",
}

inventory := {"functions": [{"address": "aws_lambda_function.ops_tool", "role": role_arn}]}

run(flows, settings) := found if {
	found := deny with input as {"inventory": inventory, "flows": flows, "settings": settings}
}

test_other_service_in_trust_is_reported if {
	found := run([reach("ec2.amazonaws.com", "allowed")], {})
	count(found) == 1
	some f in found
	f.address == "aws_iam_role.ops_tool"
	f.flows == ["reach/assume-role/ec2.amazonaws.com/aws_iam_role.ops_tool"]
	f.message == "execution role acme-risky-ops-tool (used by aws_lambda_function.ops_tool) can be assumed by the service ec2.amazonaws.com, not only Lambda"
}

test_untrusted_account_root_without_condition_is_reported if {
	found := run([reach("999988887777", "allowed")], {"trusted_accounts": ["444455556666"]})
	count(found) == 1
	some f in found
	contains(f.message, "account 999988887777, which is not in trusted_accounts, with no condition such as sts:ExternalId")
}

test_any_account_is_reported_even_with_conditions if {
	fl := json.patch(reach("000000000000", "conditional"), [
		{"op": "add", "path": "/steps/0/statements/0/certain", "value": false},
		{"op": "add", "path": "/steps/0/statements/0/condition", "value": "StringEquals sts:ExternalId"},
	])
	found := run([fl], {})
	some f in found
	contains(f.message, "any AWS account")
	endswith(f.message, ", provided StringEquals sts:ExternalId")
}

test_own_account_root_is_reported if {
	found := run([reach("123456789012", "allowed")], {})
	some f in found
	contains(f.message, "any principal of its own account")
}

test_trusted_account_is_exempt if {
	count(run([reach("999988887777", "allowed")], {"trusted_accounts": ["999988887777"]})) == 0
}

test_cross_account_with_external_id_condition_is_exempt if {
	count(run([reach("999988887777", "conditional")], {})) == 0
}

test_lambda_and_lambda_at_edge_are_expected if {
	count(run([reach("lambda.amazonaws.com", "allowed"), reach("edgelambda.amazonaws.com", "allowed")], {})) == 0
}

test_invoke_reach_is_not_trust if {
	fl := json.patch(reach("ec2.amazonaws.com", "allowed"), [{"op": "replace", "path": "/reach", "value": "service"}])
	count(run([fl], {})) == 0
}
