package lambdacheck.rules.broken_trigger

# Flows below are trimmed copies of `lambdacheck simulate fixtures/broken-triggers
# --format json` output.

audit_flow := {
	"id": "invoke/aws_cloudwatch_event_target.audit->aws_lambda_function.fn[\"audit\"]",
	"kind": "invoke",
	"decision": "denied",
	"title": "eventbridge aws_cloudwatch_event_rule.audit → aws_lambda_function.fn[\"audit\"]",
	"steps": [
		{"what": "trigger enabled", "decision": "allowed", "reason": "enabled", "statements": []},
		{
			"what": "events.amazonaws.com may invoke arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-audit",
			"decision": "denied",
			"reason": "the resource-based policy does not grant the service principal",
			"principal": "events.amazonaws.com",
			"action": "lambda:InvokeFunction",
			"resource": "arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-audit",
			"statements": [],
		},
		{
			"what": "lambda.amazonaws.com may assume role acme-broken-audit",
			"decision": "allowed",
			"reason": "the resource-based policy grants the service principal",
			"principal": "lambda.amazonaws.com",
			"action": "sts:AssumeRole",
			"resource": "arn:aws:iam::123456789012:role/acme-broken-audit",
			"statements": [{"policy": "trust", "layer": "resource", "index": 0, "effect": "Allow", "file": "main.tf", "line": 42, "certain": true}],
		},
	],
	"trigger": {
		"type": "eventbridge",
		"kind": "push",
		"address": "aws_cloudwatch_event_target.audit",
		"source": {"address": "aws_cloudwatch_event_rule.audit", "arn": "arn:aws:events:eu-west-1:123456789012:rule/acme-broken-audit-events"},
		"function": {"address": "aws_lambda_function.fn[\"audit\"]", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-audit", "file": "main.tf", "line": 63},
		"enabled": true,
	},
}

resize_flow := {
	"id": "invoke/aws_s3_bucket_notification.media->aws_lambda_function.fn[\"resize\"]",
	"kind": "invoke",
	"decision": "denied",
	"steps": [
		{"what": "trigger enabled", "decision": "allowed", "reason": "enabled; events s3:ObjectCreated:*; prefix originals/", "statements": []},
		{
			"what": "s3.amazonaws.com may invoke arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-resize:live",
			"decision": "denied",
			"reason": "the function has no resource-based policy for qualifier \"live\", so s3.amazonaws.com cannot invoke it; permissions exist only for the unqualified function (policies are per qualifier)",
			"principal": "s3.amazonaws.com",
			"action": "lambda:InvokeFunction",
			"resource": "arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-resize:live",
			"statements": [],
		},
	],
	"trigger": {
		"type": "s3",
		"kind": "push",
		"address": "aws_s3_bucket_notification.media",
		"source": {"arn": "arn:aws:s3:::acme-broken-media-123456789012"},
		"function": {"address": "aws_lambda_function.fn[\"resize\"]", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-resize", "qualifier": "live"},
		"enabled": true,
		"events": ["s3:ObjectCreated:*"],
	},
}

report_flow := {
	"id": "invoke/aws_scheduler_schedule.report->aws_lambda_function.fn[\"report\"]",
	"kind": "invoke",
	"decision": "denied",
	"steps": [
		{"what": "trigger enabled", "decision": "allowed", "reason": "enabled; cron(0 6 ? * MON *)", "statements": []},
		{
			"what": "scheduler.amazonaws.com may assume role acme-broken-report-schedule",
			"decision": "denied",
			"reason": "the resource-based policy does not grant the service principal",
			"principal": "scheduler.amazonaws.com",
			"action": "sts:AssumeRole",
			"resource": "arn:aws:iam::123456789012:role/acme-broken-report-schedule",
			"statements": [],
		},
		{
			"what": "role acme-broken-report-schedule may invoke arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-report",
			"decision": "allowed",
			"reason": "an identity policy allows the action",
			"statements": [],
		},
	],
	"trigger": {
		"type": "scheduler",
		"kind": "push",
		"address": "aws_scheduler_schedule.report",
		"source": {"address": "aws_scheduler_schedule.report", "arn": "arn:aws:scheduler:eu-west-1:123456789012:schedule/default/acme-broken-weekly-report"},
		"function": {"address": "aws_lambda_function.fn[\"report\"]", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-report"},
		"enabled": true,
	},
}

sqs_role := "arn:aws:sts::123456789012:assumed-role/acme-broken-ingest/acme-broken-ingest"

ingest_flow := {
	"id": "invoke/aws_lambda_event_source_mapping.ingest->aws_lambda_function.fn[\"ingest\"]",
	"kind": "invoke",
	"decision": "denied",
	"steps": [
		{"what": "trigger enabled", "decision": "allowed", "reason": "enabled", "statements": []},
		{
			"what": "execution role may sqs:ReceiveMessage",
			"decision": "denied",
			"reason": "no identity policy allows the action and the resource-based policy does not grant the principal",
			"principal": sqs_role,
			"action": "sqs:ReceiveMessage",
			"resource": "arn:aws:sqs:eu-west-1:123456789012:acme-broken-ingest",
			"statements": [],
		},
		{
			"what": "lambda.amazonaws.com may assume role acme-broken-ingest",
			"decision": "allowed",
			"reason": "the resource-based policy grants the service principal",
			"principal": "lambda.amazonaws.com",
			"action": "sts:AssumeRole",
			"resource": "arn:aws:iam::123456789012:role/acme-broken-ingest",
			"statements": [],
		},
	],
	"trigger": {
		"type": "sqs",
		"kind": "poll",
		"address": "aws_lambda_event_source_mapping.ingest",
		"source": {"arn": "arn:aws:sqs:eu-west-1:123456789012:acme-broken-ingest"},
		"function": {"address": "aws_lambda_function.fn[\"ingest\"]", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-ingest"},
		"enabled": true,
	},
}

# The execution role's trust is broken too: Lambda cannot assume it.
ingest_untrusted_flow := json.patch(ingest_flow, [{
	"op": "replace",
	"path": "/steps/2/decision",
	"value": "denied",
}])

single(flows) := f if {
	found := deny with input as {"flows": flows}
	count(found) == 1
	some f in found
}

test_eventbridge_permission_for_old_rule_is_a_broken_trigger if {
	f := single([audit_flow])
	f.address == "aws_cloudwatch_event_target.audit"
	f.flows == [audit_flow.id]
	contains(f.message, "eventbridge trigger aws_cloudwatch_event_rule.audit cannot invoke aws_lambda_function.fn[\"audit\"]")
	contains(f.message, "events.amazonaws.com may invoke")
	contains(f.message, "does not grant the service principal")
}

test_permission_on_other_qualifier_names_alias_and_reason if {
	f := single([resize_flow])
	f.address == "aws_s3_bucket_notification.media"
	contains(f.message, "aws_lambda_function.fn[\"resize\"]:live")
	contains(f.message, "arn:aws:s3:::acme-broken-media-123456789012")
	contains(f.message, "policies are per qualifier")
}

test_scheduler_role_trust_is_the_failing_step if {
	f := single([report_flow])
	contains(f.message, "scheduler.amazonaws.com may assume role acme-broken-report-schedule")
}

test_allowed_trigger_is_not_reported if {
	ok := json.patch(audit_flow, [
		{"op": "replace", "path": "/decision", "value": "allowed"},
		{"op": "replace", "path": "/steps/1/decision", "value": "allowed"},
	])
	count(deny) == 0 with input as {"flows": [ok]}
}

test_disabled_trigger_is_not_reported if {
	off := json.patch(audit_flow, [{"op": "replace", "path": "/trigger/enabled", "value": false}])
	count(deny) == 0 with input as {"flows": [off]}
}

test_conditional_or_unknown_invoke_is_not_reported if {
	cond := json.patch(audit_flow, [{"op": "replace", "path": "/decision", "value": "conditional"}])
	unknown := json.patch(audit_flow, [{"op": "replace", "path": "/decision", "value": "unknown"}])
	count(deny) == 0 with input as {"flows": [cond, unknown]}
}

test_poll_read_denials_are_left_to_missing_poll_permissions if {
	count(deny) == 0 with input as {"flows": [ingest_flow]}
}

test_poll_trigger_with_untrusted_execution_role_is_reported if {
	f := single([ingest_untrusted_flow])
	f.address == "aws_lambda_event_source_mapping.ingest"
	contains(f.message, "lambda.amazonaws.com may assume role acme-broken-ingest")
}

test_access_and_reach_flows_are_ignored if {
	access := {"id": "access/x", "kind": "access", "decision": "denied", "steps": []}
	count(deny) == 0 with input as {"flows": [access]}
}

test_trigger_without_address_falls_back_to_function if {
	live := json.remove(audit_flow, ["/trigger/address"])
	f := single([live])
	f.address == "aws_lambda_function.fn[\"audit\"]"
}

# Trimmed from `simulate fixtures/triggers/ses-broken --format json`: the
# permission pins the rule set ARN, SES sends the rule ARN.
ses_flow := {
	"id": "invoke/aws_ses_receipt_rule.support->aws_lambda_function.handler",
	"kind": "invoke",
	"decision": "denied",
	"steps": [
		{"what": "trigger enabled", "decision": "allowed", "reason": "enabled; events Event; recipients support@example.com", "statements": []},
		{
			"what": "ses.amazonaws.com may invoke arn:aws:lambda:eu-west-1:123456789012:function:acme-ses-handler",
			"decision": "denied",
			"reason": "the resource-based policy does not grant the service principal; needed: a permission for ses.amazonaws.com to lambda:InvokeFunction arn:aws:lambda:eu-west-1:123456789012:function:acme-ses-handler with source_arn arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/acme-ses-inbound:receipt-rule/support and source_account 123456789012",
			"principal": "ses.amazonaws.com",
			"action": "lambda:InvokeFunction",
			"resource": "arn:aws:lambda:eu-west-1:123456789012:function:acme-ses-handler",
			"statements": [],
		},
	],
	"trigger": {
		"type": "ses",
		"kind": "push",
		"address": "aws_ses_receipt_rule.support",
		"source": {"address": "aws_ses_receipt_rule.support", "arn": "arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/acme-ses-inbound:receipt-rule/support"},
		"function": {"address": "aws_lambda_function.handler", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-ses-handler"},
		"enabled": true,
		"events": ["Event"],
	},
}

test_ses_receipt_rule_names_the_missing_grant if {
	found := deny with input as {"flows": [ses_flow]}
	count(found) == 1
	some f in found
	f.address == "aws_ses_receipt_rule.support"
	startswith(f.message, "ses trigger aws_ses_receipt_rule.support cannot invoke aws_lambda_function.handler")
	contains(f.message, "needed: a permission for ses.amazonaws.com to lambda:InvokeFunction arn:aws:lambda:eu-west-1:123456789012:function:acme-ses-handler with source_arn arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/acme-ses-inbound:receipt-rule/support and source_account 123456789012")
}

# A receipt rule that is not enabled (the provider's default) or whose
# rule set is not the active one sends nothing: not a broken trigger.
test_disabled_ses_rule_is_not_reported if {
	off := json.patch(ses_flow, [{"op": "replace", "path": "/trigger/enabled", "value": false}])
	count(deny) == 0 with input as {"flows": [off]}
}

# An invoker lambdacheck does not model is unknown, never reported broken.
test_unmodelled_invoker_is_not_reported if {
	unmodelled := json.patch(ses_flow, [
		{"op": "replace", "path": "/decision", "value": "unknown"},
		{"op": "replace", "path": "/trigger/type", "value": "unmodelled"},
	])
	count(deny) == 0 with input as {"flows": [unmodelled]}
}
