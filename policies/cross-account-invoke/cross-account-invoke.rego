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

import data.lambdacheck.lib

deny contains finding if {
	some fl in lib.reach_flows
	fl.reach == "account"
	fl.decision in {"allowed", "conditional"}
	not fl.principal in lib.known_accounts
	fl.principal != lib.account_of(fl.target.arn)
	finding := {
		"message": sprintf("account %s, which is not in trusted_accounts, can call %s on %s%s (%s)", [
			fl.principal,
			concat(", ", fl.actions),
			lib.ref_name(fl.target),
			qualifier_text(fl.target.arn),
			granted_by(fl),
		]),
		"address": grant_address(fl),
		"flows": [fl.id],
	}
}

granted_by(fl) := sprintf("statement %s of its resource-based policy", [concat(", ", [sprintf("%q", [sid]) | some sid in sort(lib.granting_sids(fl))])]) if {
	count(lib.granting_sids(fl)) > 0
} else := "its resource-based policy"

# grant_address: the aws_lambda_permission that grants the account.
grant_address(fl) := addrs[0] if {
	addrs := sort([p.address | some p in permissions(fl); p.statement_id in lib.granting_sids(fl)])
	count(addrs) > 0
} else := addrs[0] if {
	addrs := sort([p.address | some p in permissions(fl); principal_in_account(p.principal, fl.principal)])
	count(addrs) > 0
} else := lib.ref_name(fl.target)

permissions(fl) := [p |
	q := lib.qualifier(fl.target.arn)
	some p in object.get(lib.function_by_address, [fl.target.address, "permissions"], [])
	object.get(p, "qualifier", "") == q
]

principal_in_account(p, acct) if p == acct

principal_in_account(p, acct) if lib.account_of(p) == acct

qualifier_text(arn) := sprintf(" (qualifier %s)", [lib.qualifier(arn)]) if {
	lib.qualifier(arn) != ""
} else := ""
