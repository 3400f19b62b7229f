package lambdacheck.rules.privilege_escalation_actions

# Trimmed from the risky-roles fixture (inventory and simulate output).

deployer_fn := {
	"address": "aws_lambda_function.deployer",
	"name": "acme-risky-deployer",
	"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-risky-deployer",
	"role": "arn:aws:iam::123456789012:role/acme-risky-deployer",
}

deployer_role := {
	"address": "aws_iam_role.deployer",
	"name": "acme-risky-deployer",
	"arn": "arn:aws:iam::123456789012:role/acme-risky-deployer",
	"inline_policies": [{
		"name": "deploy-functions",
		"address": "aws_iam_role_policy.deployer",
		"document": {"Version": "2012-10-17", "Statement": [
			{"Action": "iam:PassRole", "Effect": "Allow", "Resource": "*", "Sid": "PassAnyRole"},
			{"Action": ["lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"], "Effect": "Allow", "Resource": "*", "Sid": "ManageFunctions"},
		]},
	}],
	"attached_policies": [],
}

deployer_flow := {
	"id": "access/aws_lambda_function.deployer->*/Write",
	"kind": "access",
	"decision": "allowed",
	"steps": [{"what": "e.g. iam:PassRole", "decision": "allowed", "reason": "an identity policy allows the action", "action": "iam:PassRole", "resource": "*", "statements": []}],
	"function": {"address": "aws_lambda_function.deployer", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-risky-deployer"},
	"resource": {"arn": "*"},
	"level": "Write",
	"actions": ["iam:PassRole", "lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"],
	"outside": true,
}

logs_flow := {
	"id": "access/aws_lambda_function.deployer->*/Write",
	"kind": "access",
	"decision": "allowed",
	"steps": [],
	"function": {"address": "aws_lambda_function.deployer"},
	"resource": {"arn": "*"},
	"level": "Write",
	"actions": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
	"outside": true,
}

# deployer_facts is what the simulator computes for deployer_role
# (input.facts): the rule reads these, not the document.
esc(action, i) := {"action": action, "statement": {"index": i}}

deployer_facts := {"arn": deployer_role.arn, "policies": [{"index": 0, "escalations": [
	esc("iam:PassRole", 0),
	esc("lambda:CreateFunction", 1),
	esc("lambda:UpdateFunctionCode", 1),
	esc("lambda:UpdateFunctionConfiguration", 1),
]}]}

run(inv, flows) := run_with_facts(inv, flows, [deployer_facts])

run_with_facts(inv, flows, roles) := found if {
	found := deny with input as {"inventory": inv, "flows": flows, "facts": {"roles": roles}}
}

test_pass_role_with_create_function_on_star if {
	found := run({"functions": [deployer_fn], "roles": [deployer_role]}, [deployer_flow])
	count(found) == 1
	some f in found
	f.address == "aws_iam_role_policy.deployer"
	f.flows == [deployer_flow.id]
	f.message == "execution role acme-risky-deployer of aws_lambda_function.deployer may iam:PassRole, lambda:CreateFunction, lambda:UpdateFunctionCode, lambda:UpdateFunctionConfiguration on \"*\" (inline policy deploy-functions): with lambda:CreateFunction it can run new code as any role it can pass"
}

test_inventory_alone_without_flows if {
	found := run({"functions": [deployer_fn], "roles": [deployer_role]}, [])
	count(found) == 1
	some f in found
	f.flows == []
}

test_grant_cut_by_boundary_or_scp_is_not_reported if {
	# The function has access flows, but none to "*" lists the actions: a
	# boundary or SCP removed them.
	count(run({"functions": [deployer_fn], "roles": [deployer_role]}, [logs_flow])) == 0
}

test_canonical_names_from_the_facts if {
	facts := {"arn": deployer_role.arn, "policies": [{"index": 0, "escalations": [
		esc("iam:PutRolePolicy", 0), esc("iam:PutUserPolicy", 0), esc("iam:PutGroupPolicy", 0),
		esc("iam:AttachRolePolicy", 0), esc("sts:AssumeRole", 1),
	]}]}
	found := run_with_facts({"functions": [deployer_fn], "roles": [deployer_role]}, [], [facts])
	some f in found
	contains(f.message, "may iam:AttachRolePolicy, iam:PutGroupPolicy, iam:PutRolePolicy, iam:PutUserPolicy, sts:AssumeRole on \"*\"")
}

test_no_escalation_fact_no_finding if {
	# Scoped resources, whole-service wildcards and denies give no
	# escalation fact (simulator tests); without one there is no finding.
	count(run_with_facts({"functions": [deployer_fn], "roles": [deployer_role]}, [deployer_flow], [{"arn": deployer_role.arn, "policies": [{"index": 0, "wildcards": [{"statement": {"index": 0}, "actions": ["iam:*"]}]}]}])) == 0
}

test_flow_actions_match_facts_regardless_of_case if {
	fl := object.union(deployer_flow, {"actions": ["IAM:PASSROLE"]})
	found := run({"functions": [deployer_fn], "roles": [deployer_role]}, [fl])
	some f in found
	contains(f.message, "may iam:PassRole on \"*\"")
}

test_pass_role_in_managed_policy_attachment if {
	role := {
		"address": "aws_iam_role.legacy_etl",
		"name": "acme-risky-legacy-etl",
		"arn": "arn:aws:iam::123456789012:role/acme-risky-legacy-etl",
		"attached_policies": [{
			"name": "AWSLambdaFullAccess",
			"managed": "aws",
			"address": "aws_iam_role_policy_attachment.legacy_etl",
			"document": {"Statement": [{"Action": ["iam:PassRole", "lambda:*", "s3:*"], "Effect": "Allow", "Resource": "*"}]},
		}],
	}
	fn := {"address": "aws_lambda_function.legacy_etl", "role": role.arn}
	facts := {"arn": role.arn, "policies": [{"index": 0, "escalations": [esc("iam:PassRole", 0)], "wildcards": [{"statement": {"index": 0}, "actions": ["lambda:*", "s3:*"]}]}]}
	found := run_with_facts({"functions": [fn], "roles": [role]}, [], [facts])
	count(found) == 1
	some f in found
	f.address == "aws_iam_role_policy_attachment.legacy_etl"
	contains(f.message, "may iam:PassRole on \"*\" (AWS managed policy AWSLambdaFullAccess)")
}
