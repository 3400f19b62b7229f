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

run(inv, flows) := found if {
	found := deny with input as {"inventory": inv, "flows": flows}
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

test_partial_wildcards_and_case_are_matched if {
	role := json.patch(deployer_role, [{"op": "replace", "path": "/inline_policies/0/document/Statement", "value": [
		{"Action": ["IAM:put*policy", "iam:Attach?olePolicy"], "Effect": "Allow", "Resource": ["*"]},
		{"Action": "sts:AssumeRole", "Effect": "Allow", "Resource": "*"},
	]}])
	found := run({"functions": [deployer_fn], "roles": [role]}, [])
	some f in found
	contains(f.message, "may iam:AttachRolePolicy, iam:PutGroupPolicy, iam:PutRolePolicy, iam:PutUserPolicy, sts:AssumeRole on \"*\"")
}

test_scoped_resources_service_wildcards_and_denies_are_not_reported if {
	role := json.patch(deployer_role, [{"op": "replace", "path": "/inline_policies/0/document/Statement", "value": [
		{"Action": "iam:PassRole", "Effect": "Allow", "Resource": "arn:aws:iam::123456789012:role/acme-worker"},
		{"Action": "lambda:UpdateFunctionCode", "Effect": "Allow", "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:acme-*"},
		{"Action": ["iam:*", "*"], "Effect": "Allow", "Resource": "*"},
		{"Action": "sts:AssumeRole", "Effect": "Deny", "Resource": "*"},
	]}])
	count(run({"functions": [deployer_fn], "roles": [role]}, [])) == 0
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
	found := run({"functions": [fn], "roles": [role]}, [])
	count(found) == 1
	some f in found
	f.address == "aws_iam_role_policy_attachment.legacy_etl"
	contains(f.message, "may iam:PassRole on \"*\" (AWS managed policy AWSLambdaFullAccess)")
}
