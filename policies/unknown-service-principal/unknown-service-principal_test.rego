package lambdacheck.rules.unknown_service_principal

# Trimmed from `simulate fixtures/triggers/alexa-broken --format json`.

typo_reach := {
	"id": "reach/unknown-service/alexa-appkit.amazonaws.com/aws_lambda_function.handler:$unqualified",
	"kind": "reach",
	"decision": "unknown",
	"title": "permission AllowAlexaSkill grants unknown service principal alexa-appkit.amazonaws.com on aws_lambda_function.handler",
	"steps": [{
		"what": "known service principal",
		"decision": "unknown",
		"reason": "alexa-appkit.amazonaws.com is not a service principal AWS documents as invoking Lambda functions, so no service invokes through this grant; did you mean alexa-appkit.amazon.com?",
		"statements": [],
	}],
	"target": {"address": "aws_lambda_function.handler", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-alexa-handler"},
	"principal": "alexa-appkit.amazonaws.com",
	"reach": "unknown-service",
	"suggestion": "alexa-appkit.amazon.com",
	"grant": {"address": "aws_lambda_permission.skill", "file": "main.tf", "line": 52},
}

# A documented principal gives a "service" reach flow, never this one.
service_reach := {
	"id": "reach/service/alexa-appkit.amazon.com/aws_lambda_function.handler:$unqualified",
	"kind": "reach",
	"decision": "allowed",
	"steps": [],
	"target": {"address": "aws_lambda_function.handler", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-alexa-handler"},
	"principal": "alexa-appkit.amazon.com",
	"reach": "service",
}

inventory := {"functions": [{
	"address": "aws_lambda_function.handler",
	"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-alexa-handler",
	"account": "123456789012",
}]}

settings := {"trusted_accounts": [], "accounts": ["123456789012"], "org_id": "", "today": "2026-11-25"}

test_misspelt_principal_is_reported_with_a_suggestion if {
	found := deny with input as {"inventory": inventory, "flows": [typo_reach, service_reach], "settings": settings}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.skill"
	f.flows == [typo_reach.id]
	f.message == "aws_lambda_permission.skill lets alexa-appkit.amazonaws.com invoke aws_lambda_function.handler, but no AWS service invokes Lambda as alexa-appkit.amazonaws.com: did you mean alexa-appkit.amazon.com?"
}

test_no_suggestion_and_policy_grant if {
	far := object.union(typo_reach, {
		"principal": "example.internal.corp",
		"suggestion": "",
		"grant": {"address": ""},
		"target": {"address": "aws_lambda_function.handler", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-alexa-handler:live"},
	})
	found := deny with input as {"inventory": inventory, "flows": [far], "settings": settings}
	some f in found
	f.message == "the resource-based policy of aws_lambda_function.handler lets example.internal.corp invoke aws_lambda_function.handler (qualifier live), but no AWS service invokes Lambda as example.internal.corp (not a principal AWS documents for invoking Lambda)"
}

test_known_principals_are_not_reported if {
	count(deny) == 0 with input as {"inventory": inventory, "flows": [service_reach], "settings": settings}
}

test_real_service_that_never_invokes_is_left_to_lc019 if {
	sqs := object.union(typo_reach, {"principal": "sqs.amazonaws.com", "aws_service": true, "suggestion": ""})
	count(deny) == 0 with input as {"inventory": inventory, "flows": [sqs], "settings": settings}
}
