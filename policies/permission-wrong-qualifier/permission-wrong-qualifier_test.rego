package lambdacheck.rules.permission_wrong_qualifier

# The broken-triggers fixture's resize function: the S3 notification targets
# alias "live", the permission is on the unqualified function.

resize_fn := {
	"address": "aws_lambda_function.fn[\"resize\"]",
	"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-resize",
	"aliases": [{"address": "aws_lambda_alias.resize_live", "name": "live"}],
	"permissions": [{
		"address": "aws_lambda_permission.media",
		"statement_id": "AllowMedia",
		"action": "lambda:InvokeFunction",
		"principal": "s3.amazonaws.com",
		"source_arn": "arn:aws:s3:::acme-broken-media-123456789012",
		"source_account": "123456789012",
	}],
}

media_trigger := {
	"address": "aws_s3_bucket_notification.media",
	"kind": "push",
	"service": "s3",
	"source_arn": "arn:aws:s3:::acme-broken-media-123456789012",
	"target": "arn:aws:lambda:eu-west-1:123456789012:function:acme-broken-resize:live",
	"function_address": "aws_lambda_function.fn[\"resize\"]",
	"qualifier": "live",
	"enabled": true,
}

resize_flow := {
	"id": "invoke/aws_s3_bucket_notification.media->aws_lambda_function.fn[\"resize\"]",
	"kind": "invoke",
	"decision": "denied",
	"steps": [
		{"what": "trigger enabled", "decision": "allowed", "reason": "enabled", "statements": []},
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
	},
}

# As the simulator writes it: the permission admits the trigger's source
# but is on another qualifier.
resize_facts := json.patch(resize_flow, [{"op": "add", "path": "/trigger/other_qualifier_permissions", "value": ["aws_lambda_permission.media"]}])

test_denied_flow_points_at_the_permission_on_the_other_qualifier if {
	found := deny with input as {"inventory": {"functions": [resize_fn], "triggers": [media_trigger]}, "flows": [resize_facts]}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.media"
	f.flows == [resize_flow.id]
	f.message == "aws_s3_bucket_notification.media invokes aws_lambda_function.fn[\"resize\"]:live, but the permission for s3.amazonaws.com is on aws_lambda_permission.media (aws_lambda_function.fn[\"resize\"] (unqualified)); Lambda resource policies are per qualifier, so the invocation is denied"
}

test_a_disabled_trigger_leaves_the_unused_permission_to_part_b if {
	off := json.patch(resize_facts, [{"op": "replace", "path": "/trigger/enabled", "value": false}])
	found := deny with input as {"inventory": {"functions": [resize_fn], "triggers": [media_trigger]}, "flows": [off]}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.media"
	f.flows == []
	contains(f.message, "no s3 trigger targets that qualifier: aws_s3_bucket_notification.media targets aws_lambda_function.fn[\"resize\"]:live")
}

test_matching_qualifier_is_not_reported if {
	ok := json.patch(resize_flow, [
		{"op": "replace", "path": "/decision", "value": "allowed"},
		{"op": "add", "path": "/trigger/permissions", "value": ["aws_lambda_permission.media"]},
	])
	count(deny) == 0 with input as {"inventory": {"functions": [resize_fn], "triggers": [media_trigger]}, "flows": [ok]}
}

test_without_the_facts_nothing_is_matched_again if {
	# No permission admits the trigger's source (the simulator listed
	# none): the rule does not compare principals or ARNs itself.
	count(deny) == 0 with input as {"inventory": {"functions": [resize_fn], "triggers": [media_trigger]}, "flows": [resize_flow]}
}

test_one_of_two_qualifiers_covered_is_reported_only_for_the_unused_permission if {
	fn := json.patch(resize_fn, [{"op": "add", "path": "/permissions/-", "value": {
		"address": "aws_lambda_permission.media_live",
		"statement_id": "AllowMediaLive",
		"action": "lambda:InvokeFunction",
		"principal": "s3.amazonaws.com",
		"qualifier": "live",
		"source_arn": "arn:aws:s3:::acme-broken-media-123456789012",
	}}])
	covered := json.patch(resize_facts, [
		{"op": "replace", "path": "/decision", "value": "allowed"},
		{"op": "add", "path": "/trigger/permissions", "value": ["aws_lambda_permission.media_live"]},
	])
	found := deny with input as {"inventory": {"functions": [fn], "triggers": [media_trigger]}, "flows": [covered]}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.media"
	f.flows == []
}
