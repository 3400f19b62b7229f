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

# auth-workflow's ALB → sessions:live, permission with qualifier "live".
sessions_fn := {
	"address": "aws_lambda_function.sessions",
	"permissions": [{
		"address": "aws_lambda_permission.alb",
		"statement_id": "AllowALB",
		"action": "lambda:InvokeFunction",
		"principal": "elasticloadbalancing.amazonaws.com",
		"qualifier": "live",
		"source_arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/acme-auth-sessions/<aws_lb_target_group.sessions.tg_id>",
	}],
}

alb_trigger := {
	"address": "aws_lb_target_group_attachment.sessions",
	"kind": "push",
	"service": "alb",
	"source_arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/acme-auth-sessions/<aws_lb_target_group.sessions.tg_id>",
	"function_address": "aws_lambda_function.sessions",
	"qualifier": "live",
	"enabled": true,
}

test_denied_flow_points_at_the_permission_on_the_other_qualifier if {
	found := deny with input as {"inventory": {"functions": [resize_fn], "triggers": [media_trigger]}, "flows": [resize_flow]}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.media"
	f.flows == [resize_flow.id]
	f.message == "aws_s3_bucket_notification.media invokes aws_lambda_function.fn[\"resize\"]:live, but the permission for s3.amazonaws.com is on aws_lambda_permission.media (aws_lambda_function.fn[\"resize\"] (unqualified)); Lambda resource policies are per qualifier, so the invocation is denied"
}

test_inventory_only_permission_unused_by_any_trigger_qualifier if {
	found := deny with input as {"inventory": {"functions": [resize_fn], "triggers": [media_trigger]}, "flows": []}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.media"
	f.flows == []
	contains(f.message, "no s3 trigger targets that qualifier: aws_s3_bucket_notification.media targets aws_lambda_function.fn[\"resize\"]:live")
}

test_matching_qualifier_is_not_reported if {
	count(deny) == 0 with input as {"inventory": {"functions": [sessions_fn], "triggers": [alb_trigger]}, "flows": []}
}

test_permission_for_source_outside_inventory_is_not_reported if {
	# The permission's source_arn matches no trigger of this configuration:
	# nothing to compare it with.
	other := json.patch(media_trigger, [{"op": "replace", "path": "/source_arn", "value": "arn:aws:s3:::another-bucket"}])
	count(deny) == 0 with input as {"inventory": {"functions": [resize_fn], "triggers": [other]}, "flows": []}
}

test_source_arn_wildcards_follow_iam_matching if {
	fn := json.patch(resize_fn, [{"op": "replace", "path": "/permissions/0/source_arn", "value": "arn:aws:s3:::acme-broken-media-*"}])
	count(deny) == 1 with input as {"inventory": {"functions": [fn], "triggers": [media_trigger]}, "flows": []}
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
	found := deny with input as {"inventory": {"functions": [fn], "triggers": [media_trigger]}, "flows": []}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.media"
}

test_permissions_for_principals_without_triggers_are_ignored if {
	fn := json.patch(resize_fn, [{"op": "replace", "path": "/permissions/0/principal", "value": "444455556666"}])
	count(deny) == 0 with input as {"inventory": {"functions": [fn], "triggers": [media_trigger]}, "flows": []}
}
