package lambdacheck.rules.service_invoke_without_source_pin

# Inventory and flows trimmed from the public-exposure (confused deputy)
# and thumbnails (pinned, the negative case) fixtures.

alerts_fn := {
	"address": "aws_lambda_function.alerts",
	"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-alerts",
	"permissions": [{
		"address": "aws_lambda_permission.alerts",
		"file": "confused_deputy.tf",
		"line": 58,
		"statement_id": "AllowSns",
		"action": "lambda:InvokeFunction",
		"principal": "sns.amazonaws.com",
	}],
	"resource_policies": [{"name": "resource-policy", "address": "aws_lambda_function.alerts"}],
}

thumbnailer_fn := {
	"address": "aws_lambda_function.thumbnailer",
	"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-thumbnailer",
	"permissions": [{
		"address": "aws_lambda_permission.uploads",
		"statement_id": "AllowUploadsBucket",
		"action": "lambda:InvokeFunction",
		"principal": "s3.amazonaws.com",
		"source_arn": "arn:aws:s3:::acme-exposed-uploads",
	}],
}

pinned_fn := {
	"address": "aws_lambda_function.thumbnail",
	"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-photos-thumbnail",
	"permissions": [
		{
			"address": "aws_lambda_permission.uploads",
			"statement_id": "AllowS3",
			"action": "lambda:InvokeFunction",
			"principal": "s3.amazonaws.com",
			"source_arn": "arn:aws:s3:::acme-photos-uploads",
			"source_account": "123456789012",
		},
		{
			"address": "aws_lambda_permission.topic",
			"statement_id": "AllowSns",
			"action": "lambda:InvokeFunction",
			"principal": "sns.amazonaws.com",
			"source_arn": "arn:aws:sns:eu-west-1:123456789012:acme-photos",
		},
		{
			"address": "aws_lambda_permission.alexa",
			"statement_id": "AllowAlexa",
			"action": "lambda:InvokeFunction",
			"principal": "alexa-appkit.amazon.com",
			"event_source_token": "amzn1.ask.skill.x",
		},
		{
			"address": "aws_lambda_permission.partner",
			"statement_id": "AllowPartner",
			"action": "lambda:InvokeFunction",
			"principal": "444455556666",
		},
	],
}

alerts_reach := {
	"id": "reach/service/sns.amazonaws.com/aws_lambda_function.alerts:$unqualified",
	"kind": "reach",
	"decision": "allowed",
	"steps": [{
		"what": "sns.amazonaws.com acting for another account's resource may lambda:InvokeFunction",
		"decision": "allowed",
		"reason": "the resource-based policy grants the service principal",
		"principal": "sns.amazonaws.com",
		"action": "lambda:InvokeFunction",
		"statements": [{"policy": "resource-policy", "layer": "resource", "index": 0, "sid": "AllowSns", "effect": "Allow", "certain": true}],
	}],
	"actions": ["lambda:InvokeFunction"],
	"target": {"address": "aws_lambda_function.alerts", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-alerts"},
	"principal": "sns.amazonaws.com",
	"reach": "service",
}

run(fns, flows) := run_with_facts(fns, flows, [])

# rp_facts are what the simulator computes for a resource policy
# (input.facts resource_policies): the rule reads these, not the document.
run_with_facts(fns, flows, rp_facts) := found if {
	found := deny with input as {"inventory": {"functions": fns}, "flows": flows, "facts": {"resource_policies": rp_facts}}
}

unpinned(fn, i, sid, service, arn, acct) := {"function": fn, "index": 0, "unpinned": [{"statement": {"index": i, "sid": sid}, "service": service, "source_arn": arn, "source_account": acct}]}

test_sns_without_source_arn_is_a_confused_deputy if {
	found := run([alerts_fn], [alerts_reach])
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.alerts"
	f.flows == [alerts_reach.id]
	contains(f.message, "sns.amazonaws.com may invoke it with neither source_arn nor source_account")
}

test_s3_pinned_by_bucket_arn_only_needs_source_account if {
	found := run([thumbnailer_fn], [])
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.uploads"
	f.flows == []
	contains(f.message, "pinned by source_arn arn:aws:s3:::acme-exposed-uploads but not by source_account; s3 ARNs carry no account id")
}

test_pinned_permissions_and_non_service_principals_are_not_reported if {
	count(run([pinned_fn], [])) == 0
}

test_unresolved_source_arn_is_not_called_missing if {
	fn := json.patch(alerts_fn, [{"op": "add", "path": "/permissions/0/unknown", "value": [{"field": "source_arn", "reason": "depends on a resource not in this configuration"}]}])
	count(run([fn], [])) == 0
}

test_reach_flow_without_matching_permission_points_at_resource_policy if {
	fn := {
		"address": "aws_lambda_function.alerts",
		"permissions": [],
		"resource_policies": [{"address": "aws_lambda_resource_policy.alerts", "document": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "lambda:InvokeFunction"}]}}],
	}
	found := run([fn], [alerts_reach])
	count(found) == 1
	some f in found
	f.address == "aws_lambda_resource_policy.alerts"
	f.flows == [alerts_reach.id]
}

test_full_resource_policy_s3_statement_without_source_account if {
	fn := {
		"address": "aws_lambda_function.ingest",
		"permissions": [],
		"resource_policies": [{
			"address": "aws_lambda_resource_policy.ingest",
			"document": {"Version": "2012-10-17", "Statement": [{
				"Sid": "FromBucket",
				"Effect": "Allow",
				"Principal": {"Service": "s3.amazonaws.com"},
				"Action": "lambda:InvokeFunction",
				"Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::ingest"}},
			}]},
		}],
	}
	found := run_with_facts([fn], [], [unpinned(fn.address, 0, "FromBucket", "s3.amazonaws.com", true, false)])
	count(found) == 1
	some f in found
	f.address == "aws_lambda_resource_policy.ingest"
	f.message == "statement \"FromBucket\" of resource policy aws_lambda_resource_policy.ingest on aws_lambda_function.ingest lets s3.amazonaws.com invoke it without an aws:SourceAccount condition; s3 ARNs carry no account id"
}

test_full_resource_policy_statement_without_sid_is_numbered if {
	fn := {"address": "aws_lambda_function.ingest", "resource_policies": [{"address": "aws_lambda_resource_policy.ingest", "qualifier": "live"}]}
	found := run_with_facts([fn], [], [unpinned(fn.address, 2, "", "ses.amazonaws.com", false, false)])
	some f in found
	startswith(f.message, "statement #2 of resource policy aws_lambda_resource_policy.ingest on aws_lambda_function.ingest:live lets ses.amazonaws.com")
}

test_unpinned_account_bound_service_or_assembled_policy_is_not_reported_here if {
	# sns ARNs carry the account; a policy at the function's own address is
	# assembled from permissions, judged through them.
	full := {"address": "aws_lambda_function.ingest", "resource_policies": [{"address": "aws_lambda_resource_policy.ingest"}]}
	count(run_with_facts([full], [], [unpinned(full.address, 0, "", "sns.amazonaws.com", false, false)])) == 0
	assembled := {"address": "aws_lambda_function.ingest", "resource_policies": [{"address": "aws_lambda_function.ingest"}]}
	count(run_with_facts([assembled], [], [unpinned(assembled.address, 0, "", "s3.amazonaws.com", false, false)])) == 0
}

test_full_resource_policy_with_source_account_any_case_is_pinned if {
	fn := {
		"address": "aws_lambda_function.ingest",
		"resource_policies": [{
			"address": "aws_lambda_resource_policy.ingest",
			"document": {"Statement": {
				"Effect": "Allow",
				"Principal": {"Service": ["s3.amazonaws.com"]},
				"Action": "lambda:InvokeFunction",
				"Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"}},
			}},
		}],
	}
	count(run_with_facts([fn], [], [unpinned(fn.address, 0, "", "s3.amazonaws.com", false, true)])) == 0
}

test_denied_service_reach_is_ignored if {
	fn := json.patch(alerts_fn, [{"op": "add", "path": "/permissions/0/source_arn", "value": "arn:aws:sns:eu-west-1:123456789012:acme-exposed-alerts"}])
	denied := json.patch(alerts_reach, [{"op": "replace", "path": "/decision", "value": "denied"}])
	count(run([fn], [denied])) == 0
}

# An Alexa skill permission without event_source_token lets any skill in;
# with the token it is pinned (pinned_fn above).
test_alexa_skill_without_token_is_unpinned if {
	fn := {
		"address": "aws_lambda_function.handler",
		"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-alexa-handler",
		"permissions": [{
			"address": "aws_lambda_permission.skill",
			"statement_id": "AllowAlexaSkill",
			"action": "lambda:InvokeFunction",
			"principal": "alexa-connectedhome.amazon.com",
		}],
	}
	found := run([fn], [])
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.skill"
	contains(f.message, "alexa-connectedhome.amazon.com may invoke it without event_source_token (the skill id), so any Alexa skill of any developer can trigger it")
}

# The new push kinds are held to the same pin as the older ones.
test_new_push_kinds_without_pin if {
	fn := {
		"address": "aws_lambda_function.handler",
		"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-handler",
		"permissions": [
			{"address": "aws_lambda_permission.ses", "statement_id": "Ses", "action": "lambda:InvokeFunction", "principal": "ses.amazonaws.com", "source_arn": "arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/in:receipt-rule/support"},
			{"address": "aws_lambda_permission.bedrock", "statement_id": "Bedrock", "action": "lambda:InvokeFunction", "principal": "bedrock.amazonaws.com"},
			{"address": "aws_lambda_permission.config", "statement_id": "Config", "action": "lambda:InvokeFunction", "principal": "config.amazonaws.com", "source_account": "123456789012"},
		],
	}
	found := run([fn], [])
	{f.address | some f in found} == {"aws_lambda_permission.ses", "aws_lambda_permission.bedrock"}
}

# A misspelt principal lets nothing in: it is unknown-service-principal's,
# not a confused deputy.
test_unknown_service_principal_is_left_to_its_rule if {
	fn := {
		"address": "aws_lambda_function.handler",
		"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-handler",
		"permissions": [{"address": "aws_lambda_permission.typo", "statement_id": "Typo", "action": "lambda:InvokeFunction", "principal": "alexa-appkit.amazonaws.com"}],
	}
	typo := {
		"id": "reach/unknown-service/alexa-appkit.amazonaws.com/aws_lambda_function.handler:$unqualified",
		"kind": "reach",
		"decision": "unknown",
		"steps": [],
		"target": {"address": "aws_lambda_function.handler", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-handler"},
		"principal": "alexa-appkit.amazonaws.com",
		"reach": "unknown-service",
	}
	probe := object.union(typo, {"id": "reach/service/alexa-appkit.amazonaws.com/aws_lambda_function.handler:$unqualified", "reach": "service", "decision": "allowed"})
	count(run([fn], [typo, probe])) == 0
}
