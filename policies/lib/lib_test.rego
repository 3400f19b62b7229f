package lambdacheck.lib

flows_fixture := [
	{"id": "invoke/a", "kind": "invoke", "decision": "allowed", "steps": []},
	{"id": "access/a->*/Write", "kind": "access", "decision": "allowed", "steps": [], "function": {"address": "aws_lambda_function.a"}, "resource": {"arn": "*"}, "outside": true, "actions": ["logs:PutLogEvents"]},
	{"id": "access/a->q/dead-letter", "kind": "access", "decision": "denied", "steps": [], "function": {"address": "aws_lambda_function.a"}, "resource": {"arn": "arn:aws:sqs:eu-west-1:123456789012:dlq"}, "purpose": "dead-letter"},
	{"id": "access/a->x/Write", "kind": "access", "decision": "unknown", "steps": [], "function": {"address": "aws_lambda_function.a"}, "resource": {"arn": "arn:aws:sqs:eu-west-1:999988887777:intake"}, "outside": true, "cross_account": true},
	{"id": "reach/public/x", "kind": "reach", "decision": "allowed", "steps": []},
	{"id": "chain/x", "kind": "chain", "decision": "allowed", "steps": [], "path": ["reach/public/x", "access/a->*/Write"]},
]

test_flows_are_partitioned_by_kind if {
	[f.id | some f in invoke_flows] == ["invoke/a"] with input as {"flows": flows_fixture}
	count(access_flows) == 3 with input as {"flows": flows_fixture}
	[f.id | some f in reach_flows] == ["reach/public/x"] with input as {"flows": flows_fixture}
	[f.id | some f in chain_flows] == ["chain/x"] with input as {"flows": flows_fixture}
}

test_no_flows_gives_empty_partitions if {
	count(invoke_flows) == 0 with input as {}
	count(star_flows) == 0 with input as {}
}

test_access_partitions if {
	[f.id | some f in destination_flows] == ["access/a->q/dead-letter"] with input as {"flows": flows_fixture}
	[f.id | some f in cross_account_flows] == ["access/a->x/Write"] with input as {"flows": flows_fixture}
	{id | some id, _ in outside_by_id} == {"access/a->*/Write", "access/a->x/Write"} with input as {"flows": flows_fixture}
	[f.id | some f in star_flows["aws_lambda_function.a"]] == ["access/a->*/Write"] with input as {"flows": flows_fixture}
}

test_lookups_by_id if {
	invoke_by_id["invoke/a"].kind == "invoke" with input as {"flows": flows_fixture}
	access_by_id["access/a->q/dead-letter"].purpose == "dead-letter" with input as {"flows": flows_fixture}
	not reach_by_id["invoke/a"] with input as {"flows": flows_fixture}
}

test_external_functions_are_left_out if {
	inv := {"functions": [{"address": "a", "arn": "arn:a"}, {"address": "b", "arn": "arn:b", "external": true}]}
	[fn.address | some fn in functions] == ["a"] with input as {"inventory": inv}
	function_by_address.a.arn == "arn:a" with input as {"inventory": inv}
}

test_known_accounts_join_trusted_and_own if {
	known_accounts == {"111111111111", "222222222222"} with input as {"settings": {"trusted_accounts": ["111111111111"], "accounts": ["222222222222"]}}
	known_accounts == set() with input as {}
}

# Rules have no clock: the date is the one lambdacheck puts in the input.
test_today_is_the_date_in_the_settings if {
	today == "2026-11-25" with input as {"settings": {"today": "2026-11-25"}}
	not today with input as {}
}

test_arn_fields if {
	account_of("arn:aws:sqs:eu-west-1:999988887777:intake") == "999988887777"
	account_of("arn:aws:s3:::bucket/key") == ""
	account_of("444455556666") == ""
	qualifier("arn:aws:lambda:eu-west-1:123456789012:function:f:live") == "live"
	qualifier("arn:aws:lambda:eu-west-1:123456789012:function:f") == ""
	qualified_label("aws_lambda_function.f", "live") == "aws_lambda_function.f:live"
	qualified_label("aws_lambda_function.f", "") == "aws_lambda_function.f"
}

test_policy_helpers if {
	policy_label({"name": "AdministratorAccess", "managed": "aws"}) == "AWS managed policy AdministratorAccess"
	policy_label({"name": "x"}) == "inline policy x"
	policy_address({}, {"address": "aws_iam_role.r"}) == "aws_iam_role.r"
}

test_role_policy_facts_pair_facts_with_inventory_policies if {
	role := {"arn": "arn:aws:iam::1:role/r", "inline_policies": [{"name": "in"}], "attached_policies": [{"name": "att"}]}
	facts := {"roles": [{"arn": role.arn, "policies": [{"index": 1, "wildcards": [{"statement": {"index": 0}, "actions": ["*"]}]}]}]}
	pairs := role_policy_facts(role.arn) with input as {"inventory": {"roles": [role]}, "facts": facts}
	count(pairs) == 1
	pairs[0][0].name == "att"
	pairs[0][1].wildcards[0].actions == ["*"]
	role_policy_facts("arn:aws:iam::1:role/other") == [] with input as {"inventory": {"roles": [role]}, "facts": facts}
}

test_granting_sids_and_conditions if {
	fl := {"steps": [{"statements": [
		{"layer": "identity", "effect": "Allow", "sid": "Mine"},
		{"layer": "resource", "effect": "Allow", "sid": "AllowAnyone", "certain": false, "condition": "IpAddress aws:SourceIp 10.0.0.0/8"},
		{"layer": "resource", "effect": "Deny", "sid": "DenyX"},
	]}]}
	granting_sids(fl) == {"AllowAnyone"}
	conditions(fl) == {"IpAddress aws:SourceIp 10.0.0.0/8"}
}

# Roles whose ARN is unknown do not collide in role_by_arn (that was an
# evaluation error that stopped every rule).
test_role_by_arn_skips_unknown_arns if {
	roles := [{"address": "aws_iam_role.a", "arn": ""}, {"address": "aws_iam_role.b", "arn": ""}, {"address": "aws_iam_role.c", "arn": "arn:aws:iam::123456789012:role/c"}]
	m := role_by_arn with input as {"inventory": {"roles": roles}}
	count(m) == 1
	m["arn:aws:iam::123456789012:role/c"].address == "aws_iam_role.c"
}
