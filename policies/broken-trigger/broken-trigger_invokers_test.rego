package lambdacheck.rules.broken_trigger

# Flows of the role-based and special invokers, trimmed from `lambdacheck
# simulate fixtures/triggers/KIND-broken --format json`.

rds_flow := {
	"id": "invoke/aws_rds_cluster_role_association.lambda->(function chosen in SQL)",
	"kind": "invoke",
	"decision": "denied",
	"steps": [
		{"what": "trigger enabled", "decision": "allowed", "reason": "enabled; the function is chosen in SQL (lambda_sync, lambda_async, aws_lambda.invoke)", "statements": []},
		{
			"what": "rds.amazonaws.com may assume role rds-broken-aurora-lambda",
			"decision": "allowed", "reason": "the resource-based policy grants the service principal",
			"principal": "rds.amazonaws.com", "action": "sts:AssumeRole",
			"resource": "arn:aws:iam::123456789012:role/rds-broken-aurora-lambda",
			"statements": [{"policy": "trust", "layer": "resource", "index": 0, "effect": "Allow", "certain": true}],
		},
		{
			"what": "role rds-broken-aurora-lambda may invoke a function", "decision": "denied",
			"reason": "the role's policies allow lambda:InvokeFunction on none of the 2 functions in the inventory: grant lambda:InvokeFunction on the functions the cluster calls",
			"statements": [],
		},
	],
	"trigger": {
		"type": "rds", "kind": "push", "address": "aws_rds_cluster_role_association.lambda",
		"source": {"address": "aws_rds_cluster.db", "arn": "arn:aws:rds:eu-west-1:123456789012:cluster:rds-broken-db"},
		"function": {"address": "(any function the role allows)"}, "enabled": true,
	},
}

edge_flow := {
	"id": "invoke/aws_cloudfront_distribution.site->aws_lambda_function.edge",
	"kind": "invoke",
	"decision": "denied",
	"steps": [
		{"what": "trigger enabled", "decision": "allowed", "reason": "enabled; events viewer-request; default cache behaviour", "statements": []},
		{"what": "function in us-east-1", "decision": "denied", "reason": "the function is in eu-west-1; Lambda@Edge associates only functions created in us-east-1", "statements": []},
		{"what": "target is a numbered version", "decision": "denied", "reason": "lambda_arn names $LATEST (no version); Lambda@Edge needs a published version (publish = true and qualified_arn)", "statements": []},
		{
			"what": "edgelambda.amazonaws.com may assume role cloudfront-broken-edge", "decision": "denied",
			"reason": "the execution role's trust policy does not admit edgelambda.amazonaws.com",
			"principal": "edgelambda.amazonaws.com", "action": "sts:AssumeRole",
			"resource": "arn:aws:iam::123456789012:role/cloudfront-broken-edge", "statements": [],
		},
	],
	"trigger": {
		"type": "cloudfront", "kind": "push", "address": "aws_cloudfront_distribution.site",
		"source": {"address": "aws_cloudfront_distribution.site", "arn": "arn:aws:cloudfront::123456789012:distribution/<aws_cloudfront_distribution.site.id>"},
		"function": {"address": "aws_lambda_function.edge", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:cloudfront-broken-edge", "qualifier": "$LATEST"},
		"enabled": true, "events": ["viewer-request"],
	},
}

object_lambda_flow := {
	"id": "invoke/aws_s3control_object_lambda_access_point.redacted->aws_lambda_function.redact",
	"kind": "invoke",
	"decision": "denied",
	"steps": [
		{"what": "trigger enabled", "decision": "allowed", "reason": "enabled; events GetObject", "statements": []},
		{"what": "caller may invoke arn:aws:lambda:eu-west-1:123456789012:function:redact", "decision": "conditional", "reason": "S3 Object Lambda invokes the function with the credentials of the caller of the access point", "statements": []},
		{
			"what": "execution role may s3-object-lambda:WriteGetObjectResponse", "decision": "denied",
			"reason": "the execution role lacks s3-object-lambda:WriteGetObjectResponse, so the function cannot return the transformed object",
			"principal": "arn:aws:sts::123456789012:assumed-role/redact/redact", "action": "s3-object-lambda:WriteGetObjectResponse",
			"resource": "*", "statements": [],
		},
	],
	"trigger": {
		"type": "s3_object_lambda", "kind": "push", "address": "aws_s3control_object_lambda_access_point.redacted",
		"source": {"address": "aws_s3control_object_lambda_access_point.redacted", "arn": "arn:aws:s3-object-lambda:eu-west-1:123456789012:accesspoint/redacted"},
		"function": {"address": "aws_lambda_function.redact", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:redact"},
		"enabled": true, "events": ["GetObject"],
	},
}

test_aurora_role_without_invoke_grant_is_a_broken_trigger if {
	f := single([rds_flow])
	f.address == "aws_rds_cluster_role_association.lambda"
	contains(f.message, "rds trigger aws_rds_cluster.db cannot invoke (any function the role allows)")
	contains(f.message, "grant lambda:InvokeFunction")
}

test_edge_names_the_first_failed_condition if {
	f := single([edge_flow])
	contains(f.message, "cloudfront trigger aws_cloudfront_distribution.site cannot invoke aws_lambda_function.edge:$LATEST")
	contains(f.message, "us-east-1")
}

test_edge_trust_alone_is_reported if {
	trust_only := json.patch(edge_flow, [
		{"op": "replace", "path": "/steps/1/decision", "value": "allowed"},
		{"op": "replace", "path": "/steps/2/decision", "value": "allowed"},
	])
	f := single([trust_only])
	contains(f.message, "edgelambda.amazonaws.com may assume role cloudfront-broken-edge")
}

test_object_lambda_missing_write_get_object_response_is_reported if {
	f := single([object_lambda_flow])
	contains(f.message, "s3-object-lambda:WriteGetObjectResponse")
}

test_object_lambda_conditional_on_caller_is_not_reported if {
	ok := json.patch(object_lambda_flow, [
		{"op": "replace", "path": "/decision", "value": "conditional"},
		{"op": "replace", "path": "/steps/2/decision", "value": "allowed"},
	])
	count(deny) == 0 with input as {"flows": [ok]}
}
