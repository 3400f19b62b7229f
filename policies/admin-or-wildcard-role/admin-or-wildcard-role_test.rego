package lambdacheck.rules.admin_or_wildcard_role

# Roles trimmed from `inventory fixtures/risky-roles --format json`.

fn(name, role) := {
	"address": sprintf("aws_lambda_function.%s", [name]),
	"name": sprintf("acme-risky-%s", [name]),
	"arn": sprintf("arn:aws:lambda:eu-west-1:123456789012:function:acme-risky-%s", [name]),
	"role": sprintf("arn:aws:iam::123456789012:role/%s", [role]),
}

lambda_trust := {"Version": "2012-10-17", "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}]}

basic := {
	"name": "AWSLambdaBasicExecutionRole",
	"arn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
	"managed": "aws",
	"address": "aws_iam_role_policy_attachment.basic",
	"document": {"Version": "2012-10-17", "Statement": [{"Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow", "Resource": "*"}]},
}

role(name, inline, attached) := {
	"address": sprintf("aws_iam_role.%s", [name]),
	"name": name,
	"arn": sprintf("arn:aws:iam::123456789012:role/%s", [name]),
	"account": "123456789012",
	"trust_policy": {"name": "trust", "document": lambda_trust},
	"inline_policies": inline,
	"attached_policies": attached,
}

admin_role := role("acme-risky-admin-task", [], [
	basic,
	{
		"name": "AdministratorAccess",
		"arn": "arn:aws:iam::aws:policy/AdministratorAccess",
		"managed": "aws",
		"address": "aws_iam_role_policy_attachment.admin_task",
		"file": "escalation.tf",
		"line": 70,
		"document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
	},
])

iam_admin_role := role("acme-risky-ops-tool", [], [{
	"name": "acme-risky-iam-admin",
	"arn": "arn:aws:iam::123456789012:policy/acme-risky-iam-admin",
	"managed": "customer",
	"address": "aws_iam_policy.iam_admin",
	"document": {"Version": "2012-10-17", "Statement": [{"Action": "iam:*", "Effect": "Allow", "Resource": "*"}]},
}])

legacy_role := role("acme-risky-legacy-etl", [], [{
	"name": "AWSLambdaFullAccess",
	"arn": "arn:aws:iam::aws:policy/AWSLambdaFullAccess",
	"managed": "aws",
	"deprecated": true,
	"address": "aws_iam_role_policy_attachment.legacy_etl",
	"document": {"Version": "2012-10-17", "Statement": [{
		"Action": ["cloudformation:DescribeStacks", "cloudwatch:*", "dynamodb:*", "iam:PassRole", "lambda:*", "s3:*"],
		"Effect": "Allow",
		"Resource": "*",
	}]},
}])

archiver_role := object.union(
	role(
		"acme-risky-archiver", [{
			"name": "archive-bucket",
			"address": "aws_iam_role_policy.archiver",
			"document": {"Version": "2012-10-17", "Statement": [
				{"Action": "s3:*", "Effect": "Allow", "Resource": ["arn:aws:s3:::acme-risky-archive-123456789012", "arn:aws:s3:::acme-risky-archive-123456789012/*"]},
				{"Action": "s3:Get*", "Effect": "Allow", "Resource": "*"},
				{"Action": "*", "Effect": "Deny", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
			]},
		}],
		[basic],
	),
	{"permissions_boundary": {"name": "acme-risky-read-only-boundary"}},
)

admin_flow := {
	"id": "access/aws_lambda_function.admin_task->*/Permissions management",
	"kind": "access",
	"decision": "allowed",
	"steps": [],
	"function": {"address": "aws_lambda_function.admin_task"},
	"resource": {"arn": "*"},
	"level": "Permissions management",
	"actions": ["iam:AttachRolePolicy"],
	"outside": true,
}

# facts are what the simulator computes for these roles (input.facts): the
# rule reads them, not the documents above.
role_arn(name) := sprintf("arn:aws:iam::123456789012:role/%s", [name])

facts := {"roles": [
	{"arn": admin_role.arn, "policies": [{"index": 1, "wildcards": [{"statement": {"index": 0}, "actions": ["*"]}]}]},
	{"arn": iam_admin_role.arn, "policies": [{"index": 0, "wildcards": [{"statement": {"index": 0}, "actions": ["iam:*"]}]}]},
	{"arn": legacy_role.arn, "policies": [{"index": 0, "wildcards": [{"statement": {"index": 0}, "actions": ["cloudwatch:*", "dynamodb:*", "lambda:*", "s3:*"]}], "escalations": [{"action": "iam:PassRole", "statement": {"index": 0}}]}]},
	{"arn": archiver_role.arn, "policies": [{"index": 0, "foreign_resources": [{"statement": {"index": 0}, "resource": "arn:aws:sqs:eu-west-1:999999999999:q", "account": "999999999999"}]}]},
	{"arn": role_arn("notaction"), "policies": [{"index": 0, "wildcards": [{"statement": {"index": 0}, "not_action": ["iam:*", "organizations:*"]}]}]},
]}

run(fns, roles, flows) := found if {
	found := deny with input as {"inventory": {"functions": fns, "roles": roles}, "flows": flows, "facts": facts}
}

test_administrator_access_attached_is_reported_on_the_attachment if {
	found := run([fn("admin_task", "acme-risky-admin-task")], [admin_role], [admin_flow])
	count(found) == 1
	some f in found
	f.address == "aws_iam_role_policy_attachment.admin_task"
	f.flows == [admin_flow.id]
	f.message == "execution role acme-risky-admin-task (used by aws_lambda_function.admin_task) has the AWS managed policy AdministratorAccess attached"
}

test_power_user_access_by_arn_without_document if {
	r := role("power", [], [{"name": "", "arn": "arn:aws:iam::aws:policy/PowerUserAccess", "managed": "aws", "address": "aws_iam_role_policy_attachment.power"}])
	found := run([fn("power", "power")], [r], [])
	some f in found
	contains(f.message, "PowerUserAccess")
}

test_iam_star_in_customer_managed_policy if {
	found := run([fn("ops_tool", "acme-risky-ops-tool")], [iam_admin_role], [])
	count(found) == 1
	some f in found
	f.address == "aws_iam_policy.iam_admin"
	contains(f.message, "is granted \"iam:*\" on \"*\" by customer managed policy acme-risky-iam-admin")
}

test_service_wildcards_in_deprecated_managed_policy if {
	found := run([fn("legacy_etl", "acme-risky-legacy-etl")], [legacy_role], [])
	count(found) == 1
	some f in found
	contains(f.message, "\"cloudwatch:*\", \"dynamodb:*\", \"lambda:*\", \"s3:*\" on \"*\" by AWS managed policy AWSLambdaFullAccess")
	not contains(f.message, "PassRole")
}

test_allow_not_action_on_star if {
	r := role("notaction", [{"name": "almost-all", "address": "aws_iam_role_policy.na", "document": {"Statement": {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}}}], [])
	found := run([fn("na", "notaction")], [r], [])
	some f in found
	contains(f.message, "every action except iam:*, organizations:* (Allow with NotAction)")
}

test_no_wildcard_fact_no_finding if {
	found := deny with input as {"inventory": {"functions": [fn("ops_tool", "acme-risky-ops-tool")], "roles": [iam_admin_role]}, "flows": [], "facts": {"roles": []}}
	count(found) == 0
}

test_scoped_wildcards_reads_and_denies_are_not_reported if {
	count(run([fn("archiver", "acme-risky-archiver")], [archiver_role], [])) == 0
}

test_boundary_is_named if {
	r := object.union(iam_admin_role, {"permissions_boundary": {"name": "acme-risky-read-only-boundary"}})
	found := run([fn("ops_tool", "acme-risky-ops-tool")], [r], [])
	some f in found
	contains(f.message, "permissions boundary acme-risky-read-only-boundary caps the effective grant")
}

test_roles_of_no_function_or_external_functions_are_ignored if {
	ext := object.union(fn("admin_task", "acme-risky-admin-task"), {"external": true})
	count(run([ext], [admin_role, iam_admin_role], [])) == 0
}

test_shared_role_lists_every_function if {
	found := run([fn("a", "acme-risky-ops-tool"), fn("b", "acme-risky-ops-tool")], [iam_admin_role], [])
	count(found) == 1
	some f in found
	contains(f.message, "(used by aws_lambda_function.a, aws_lambda_function.b)")
}
