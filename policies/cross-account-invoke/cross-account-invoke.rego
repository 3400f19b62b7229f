# METADATA
# scope: package
# title: Cross-account invoke
# description: >-
#   Another AWS account can invoke the function (or call its AWS_IAM function
#   URL) through the function's resource-based policy, and that account is
#   neither one of your own (settings accounts) nor listed in
#   trusted_accounts. Whoever controls that account can run the function,
#   and with it everything its execution role may do.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-cross-account.html
#     description: Granting Lambda function access to other accounts
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html
#     description: Cross-account resource access in IAM
# custom:
#   id: LC006
#   short_code: cross-account-invoke
#   severity: high
#   remediation: >-
#     Remove the permission if the other account should not call the
#     function. If it should, name the exact role ARN instead of the account
#     root, and add the account to trusted_accounts in .lambdacheck.hcl so
#     the decision is recorded.
package lambdacheck.rules.cross_account_invoke

known_accounts contains a if some a in object.get(input, ["settings", "trusted_accounts"], [])

known_accounts contains a if some a in object.get(input, ["settings", "accounts"], [])

deny contains finding if {
	some fl in input.flows
	fl.kind == "reach"
	fl.reach == "account"
	fl.decision in {"allowed", "conditional"}
	not known_accounts[fl.principal]
	fl.principal != account_of(fl.target.arn)
	finding := {
		"message": sprintf("account %s, which is not in trusted_accounts, can call %s on %s%s (%s)", [
			fl.principal,
			concat(", ", fl.actions),
			fl.target.address,
			qualifier_text(fl.target.arn),
			granted_by(fl),
		]),
		"address": grant_address(fl),
		"flows": [fl.id],
	}
}

resource_statements(fl) := [st |
	some s in fl.steps
	some st in s.statements
	st.layer == "resource"
	st.effect == "Allow"
]

granted_by(fl) := sprintf("statement %s of its resource-based policy", [concat(", ", sids)]) if {
	sids := [sprintf("%q", [st.sid]) | some st in resource_statements(fl); object.get(st, "sid", "") != ""]
	count(sids) > 0
} else := "its resource-based policy"

# grant_address: the aws_lambda_permission that grants the account.
grant_address(fl) := addrs[0] if {
	fn := function(fl.target.address)
	q := qualifier(fl.target.arn)
	sids := {st.sid | some st in resource_statements(fl)}
	addrs := sort([p.address |
		some p in fn.permissions
		p.statement_id in sids
		object.get(p, "qualifier", "") == q
	])
	count(addrs) > 0
} else := addrs[0] if {
	fn := function(fl.target.address)
	q := qualifier(fl.target.arn)
	addrs := sort([p.address |
		some p in fn.permissions
		principal_in_account(p.principal, fl.principal)
		object.get(p, "qualifier", "") == q
	])
	count(addrs) > 0
} else := ref_name(fl.target)

principal_in_account(p, acct) if p == acct

principal_in_account(p, acct) if account_of(p) == acct

function(address) := fn if {
	some fn in object.get(input, ["inventory", "functions"], [])
	fn.address == address
}

account_of(arn) := parts[4] if {
	parts := split(arn, ":")
	count(parts) >= 6
} else := ""

qualifier(arn) := parts[7] if {
	parts := split(arn, ":")
	count(parts) == 8
} else := ""

qualifier_text(arn) := sprintf(" (qualifier %s)", [qualifier(arn)]) if qualifier(arn) != ""

else := ""

ref_name(r) := r.address if {
	object.get(r, "address", "") != ""
} else := object.get(r, "arn", "")
