package lambdacheck.rules.cross_account_invoke

# Trimmed from `simulate fixtures/public-exposure --format json`.

partner_reach := {
	"id": "reach/account/444455556666/aws_lambda_function.partner_sync:$unqualified",
	"kind": "reach",
	"decision": "allowed",
	"steps": [{
		"what": "account 444455556666 may lambda:InvokeFunction",
		"decision": "allowed",
		"reason": "cross-account: both the resource-based policy and the principal's identity policies allow",
		"principal": "arn:aws:sts::444455556666:assumed-role/caller/probe",
		"action": "lambda:InvokeFunction",
		"resource": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-partner-sync",
		"statements": [
			{"policy": "caller's own identity policy (assumed to allow)", "layer": "identity", "index": 0, "effect": "Allow", "line": 1, "certain": true},
			{"policy": "resource-policy", "layer": "resource", "index": 0, "sid": "AllowPartnerAccount", "effect": "Allow", "file": "cross_account.tf", "line": 17, "certain": true},
		],
	}],
	"actions": ["lambda:InvokeFunction"],
	"target": {"address": "aws_lambda_function.partner_sync", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-partner-sync"},
	"principal": "444455556666",
	"reach": "account",
}

inventory := {"functions": [{
	"address": "aws_lambda_function.partner_sync",
	"arn": "arn:aws:lambda:eu-west-1:123456789012:function:acme-exposed-partner-sync",
	"account": "123456789012",
	"permissions": [{
		"address": "aws_lambda_permission.partner_sync",
		"file": "cross_account.tf",
		"line": 25,
		"statement_id": "AllowPartnerAccount",
		"action": "lambda:InvokeFunction",
		"principal": "444455556666",
	}],
}]}

settings := {"trusted_accounts": [], "accounts": ["123456789012"], "org_id": "", "today": "2026-11-25"}

test_untrusted_account_invoke_is_reported_on_the_permission if {
	found := deny with input as {"inventory": inventory, "flows": [partner_reach], "settings": settings}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_permission.partner_sync"
	f.flows == [partner_reach.id]
	f.message == "account 444455556666, which is not in trusted_accounts, can call lambda:InvokeFunction on aws_lambda_function.partner_sync (statement \"AllowPartnerAccount\" of its resource-based policy)"
}

test_trusted_account_is_exempt if {
	trusted := object.union(settings, {"trusted_accounts": ["444455556666"]})
	count(deny) == 0 with input as {"inventory": inventory, "flows": [partner_reach], "settings": trusted}
}

test_own_accounts_from_settings_are_exempt if {
	own := object.union(settings, {"accounts": ["123456789012", "444455556666"]})
	count(deny) == 0 with input as {"inventory": inventory, "flows": [partner_reach], "settings": own}
}

test_missing_settings_treat_every_other_account_as_untrusted if {
	count(deny) == 1 with input as {"inventory": inventory, "flows": [partner_reach]}
}

test_role_arn_principal_found_by_account if {
	inv := json.patch(inventory, [
		{"op": "replace", "path": "/functions/0/permissions/0/principal", "value": "arn:aws:iam::444455556666:role/sync"},
		{"op": "replace", "path": "/functions/0/permissions/0/statement_id", "value": "Other"},
	])
	found := deny with input as {"inventory": inv, "flows": [partner_reach], "settings": settings}
	some f in found
	f.address == "aws_lambda_permission.partner_sync"
}

test_denied_or_unknown_reach_is_not_reported if {
	unknown := json.patch(partner_reach, [{"op": "replace", "path": "/decision", "value": "unknown"}])
	count(deny) == 0 with input as {"inventory": inventory, "flows": [unknown], "settings": settings}
}

test_public_reach_is_left_to_public_invoke if {
	pub := json.patch(partner_reach, [{"op": "replace", "path": "/reach", "value": "public"}])
	count(deny) == 0 with input as {"inventory": inventory, "flows": [pub], "settings": settings}
}
