package lambdacheck.rules.permission_for_non_invoking_service

sqs_reach := {
	"id": "reach/unknown-service/sqs.amazonaws.com/aws_lambda_function.worker:$unqualified",
	"kind": "reach",
	"decision": "unknown",
	"steps": [],
	"target": {"address": "aws_lambda_function.worker", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:worker"},
	"principal": "sqs.amazonaws.com",
	"reach": "unknown-service",
	"aws_service": true,
	"grant": {"address": "aws_lambda_permission.sqs", "file": "main.tf", "line": 30},
}

typo_reach := object.union(sqs_reach, {
	"id": "reach/unknown-service/alexa-appkit.amazonaws.com/aws_lambda_function.worker:$unqualified",
	"principal": "alexa-appkit.amazonaws.com",
	"aws_service": false,
	"suggestion": "alexa-appkit.amazon.com",
})

inventory := {"functions": [{"address": "aws_lambda_function.worker", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:worker", "account": "123456789012"}]}

settings := {"trusted_accounts": [], "accounts": ["123456789012"], "org_id": "", "today": "2026-11-25"}

test_grant_to_a_polled_service_is_reported if {
	found := deny with input as {"inventory": inventory, "flows": [sqs_reach, typo_reach], "settings": settings}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.sqs"
	f.flows == [sqs_reach.id]
	f.message == "aws_lambda_permission.sqs lets sqs.amazonaws.com invoke aws_lambda_function.worker, but that service does not invoke Lambda functions through resource-based policies: the grant lets nothing in"
}

test_misspelling_is_not_this_rule if {
	count(deny) == 0 with input as {"inventory": inventory, "flows": [typo_reach], "settings": settings}
}
