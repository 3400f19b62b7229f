package lambdacheck.rules.cross_account_egress

# Trimmed from the risky-roles fixture: partner_export's role writes to a
# partner bucket, sends to a queue in 999988887777 and assumes a partner role.

fn := {
	"address": "aws_lambda_function.partner_export",
	"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-risky-partner-export",
	"account": "123456789012",
	"role": "arn:aws:iam::123456789012:role/acme-risky-partner-export",
}

role := {
	"address": "aws_iam_role.partner_export",
	"name": "acme-risky-partner-export",
	"arn": "arn:aws:iam::123456789012:role/acme-risky-partner-export",
	"inline_policies": [{
		"name": "partner-egress",
		"address": "aws_iam_role_policy.partner_export",
		"document": {"Version": "2012-10-17", "Statement": [
			{"Action": ["s3:GetObject", "s3:ListBucket"], "Effect": "Allow", "Resource": ["arn:aws:s3:::acme-risky-archive-123456789012", "arn:aws:s3:::acme-risky-archive-123456789012/*"], "Sid": "ReadArchive"},
			{"Action": "s3:PutObject", "Effect": "Allow", "Resource": "arn:aws:s3:::partner-dropbox-444455556666/incoming/*", "Sid": "WritePartnerDropbox"},
			{"Action": "sqs:SendMessage", "Effect": "Allow", "Resource": "arn:aws:sqs:eu-west-1:999988887777:intake", "Sid": "SendToIntake"},
			{"Action": "sts:AssumeRole", "Effect": "Allow", "Resource": "arn:aws:iam::444455556666:role/acme-export-writer", "Sid": "AssumePartnerWriter"},
			{"Action": "sqs:SendMessage", "Effect": "Deny", "Resource": "arn:aws:sqs:eu-west-1:888877776666:blocked"},
		]},
	}],
}

inventory := {"functions": [fn], "roles": [role]}

intake_flow := {
	"id": "access/aws_lambda_function.partner_export->arn:aws:sqs:eu-west-1:999988887777:intake/Write",
	"kind": "access",
	"decision": "unknown",
	"steps": [],
	"function": {"address": fn.address, "arn": fn.arn},
	"resource": {"arn": "arn:aws:sqs:eu-west-1:999988887777:intake"},
	"level": "Write",
	"actions": ["sqs:SendMessage"],
	"outside": true,
	"cross_account": true,
}

dropbox_flow := {
	"id": "access/aws_lambda_function.partner_export->arn:aws:s3:::partner-dropbox-444455556666/incoming/*/Write",
	"kind": "access",
	"decision": "conditional",
	"steps": [],
	"function": {"address": fn.address, "arn": fn.arn},
	"resource": {"arn": "arn:aws:s3:::partner-dropbox-444455556666/incoming/*"},
	"level": "Write",
	"actions": ["s3:PutObject"],
	"outside": true,
	"cross_account": true,
}

# facts are what the simulator computes for role (input.facts): the Allow
# statements naming resources in another account. The rule reads these, not
# the document (the S3 ARNs carry no account; the Deny is no grant).
foreign(i, sid, actions, res, acct) := {"statement": {"index": i, "sid": sid}, "actions": actions, "resource": res, "account": acct}

facts := {"roles": [{"arn": role.arn, "policies": [{"index": 0, "foreign_resources": [
	foreign(2, "SendToIntake", ["sqs:SendMessage"], "arn:aws:sqs:eu-west-1:999988887777:intake", "999988887777"),
	foreign(3, "AssumePartnerWriter", ["sts:AssumeRole"], "arn:aws:iam::444455556666:role/acme-export-writer", "444455556666"),
]}]}]}

run(flows, settings) := found if {
	found := deny with input as {"inventory": inventory, "flows": flows, "settings": settings, "facts": facts}
}

by_resource(found, res) := f if {
	some f in found
	contains(f.message, res)
}

test_queue_in_unknown_account_from_policy_and_flow if {
	found := run([intake_flow], {})
	f := by_resource(found, "arn:aws:sqs:eu-west-1:999988887777:intake")
	f.address == "aws_iam_role_policy.partner_export"
	f.flows == [intake_flow.id]
	f.message == "aws_lambda_function.partner_export can act on arn:aws:sqs:eu-west-1:999988887777:intake in account 999988887777, which is not in trusted_accounts: sqs:SendMessage (granted by statement \"SendToIntake\" of policy partner-egress)"
}

test_assume_role_in_partner_account_from_policy_alone if {
	found := run([], {})
	count(found) == 2
	f := by_resource(found, "arn:aws:iam::444455556666:role/acme-export-writer")
	f.flows == []
	contains(f.message, "account 444455556666")
	contains(f.message, "sts:AssumeRole")
}

test_bucket_egress_only_when_the_simulator_marks_it if {
	found := run([dropbox_flow], {})
	f := by_resource(found, "partner-dropbox-444455556666")
	f.flows == [dropbox_flow.id]
	contains(f.message, "in another account")
	f.address == fn.address
}

test_trusted_and_own_accounts_are_exempt if {
	count(run([intake_flow], {"trusted_accounts": ["999988887777"], "accounts": ["444455556666"]})) == 0
}

test_same_account_resources_and_denied_flows_are_not_egress if {
	denied := json.patch(intake_flow, [
		{"op": "replace", "path": "/decision", "value": "denied"},
		{"op": "replace", "path": "/resource/arn", "value": "arn:aws:sqs:eu-west-1:777766665555:other"},
	])
	same := {"functions": [fn], "roles": [json.patch(role, [{"op": "replace", "path": "/inline_policies/0/document/Statement", "value": [{"Action": "sqs:SendMessage", "Effect": "Allow", "Resource": "arn:aws:sqs:eu-west-1:123456789012:local"}]}])]}
	count(deny) == 0 with input as {"inventory": same, "flows": [denied], "settings": {}, "facts": {"roles": []}}
}

test_fact_in_the_functions_own_account_is_not_egress if {
	# The role's account is another than the function's (a snapshot
	# merged from several accounts): the function's own account is exempt.
	own := {"roles": [{"arn": role.arn, "policies": [{"index": 0, "foreign_resources": [foreign(0, "", ["sqs:SendMessage"], "arn:aws:sqs:eu-west-1:123456789012:local", "123456789012")]}]}]}
	count(deny) == 0 with input as {"inventory": inventory, "flows": [], "settings": {}, "facts": own}
}

test_statement_without_sid_is_named_by_its_policy if {
	nosid := {"roles": [{"arn": role.arn, "policies": [{"index": 0, "foreign_resources": [foreign(2, "", ["sqs:SendMessage"], "arn:aws:sqs:eu-west-1:999988887777:intake", "999988887777")]}]}]}
	found := deny with input as {"inventory": inventory, "flows": [], "settings": {}, "facts": nosid}
	some f in found
	endswith(f.message, "sqs:SendMessage (granted by policy partner-egress)")
}
