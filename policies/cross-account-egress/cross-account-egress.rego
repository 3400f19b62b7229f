# METADATA
# scope: package
# title: Cross-account egress
# description: >-
#   A function's execution role may act on resources in another AWS account
#   that is neither one of yours (settings accounts) nor in trusted_accounts:
#   writing objects or messages there, reading from there, or assuming a
#   role there. Data leaves the account, or outside code steers the
#   function. The rule takes the simulator's access flows marked
#   cross-account and the identity-policy statements that the IAM engine
#   finds naming resources in other accounts — the
#   other side's resource policy, outside this configuration, decides the
#   rest, so such flows are often conditional or unknown. S3 ARNs carry no
#   account id, so bucket egress is seen only when the simulator marks it.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html
#     description: Cross-account resource access in IAM
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
#     description: aws:ResourceAccount / aws:ResourceOrgID to keep a role inside your accounts
#   - ref: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
#     description: Data perimeters with resource control and service control policies
# custom:
#   id: LC012
#   short_code: cross-account-egress
#   severity: medium
#   remediation: >-
#     If the account is a partner you rely on, add it to trusted_accounts in
#     .lambdacheck.hcl. Otherwise remove the statement, or bound the role
#     with a condition on aws:ResourceAccount / aws:ResourceOrgID (or an SCP
#     data perimeter) so it can only reach your own accounts.
package lambdacheck.rules.cross_account_egress

import data.lambdacheck.lib

# egress: [function address, resource, account] from flows and policies.
egress contains [fl.function.address, fl.resource.arn, flow_account(fl)] if {
	some fl in egress_flows
}

egress contains [fn.address, res, lib.account_of(res)] if {
	some [fn, _, _, res] in statement_resources
}

# egress_flows: non-denied access flows the simulator marks cross-account,
# to an account that is not known.
egress_flows := [fl |
	some fl in lib.cross_account_flows
	fl.decision != "denied"
	not lib.account_of(fl.resource.arn) in lib.known_accounts
]

# flow_account: the resource's account, when its ARN names one (S3 ARNs
# do not).
flow_account(fl) := acct if {
	acct := lib.account_of(fl.resource.arn)
	acct != ""
} else := "another account"

# statement_resources: [function, policy, grant, resource] for the Allow
# statements of the execution role that the engine found naming a resource
# in another account (input.facts foreign_resources), when that account is
# neither the function's nor a known one.
statement_resources contains [fn, pol, g, g.resource] if {
	some fn in lib.functions
	own := object.get(fn, "account", lib.account_of(fn.arn))
	some [pol, pf] in lib.role_policy_facts(fn.role)
	some g in object.get(pf, "foreign_resources", [])
	g.account != own
	not g.account in lib.known_accounts
}

deny contains finding if {
	some [fn_address, res, acct] in egress
	flows := sort({fl.id | some fl in egress_flows; fl.function.address == fn_address; fl.resource.arn == res})
	grants := {[pol, g.statement, object.get(g, "actions", [])] | some [fn, pol, g, r] in statement_resources; fn.address == fn_address; r == res}
	actions := sort(flow_actions(fn_address, res) | statement_actions(grants))
	finding := {
		"message": sprintf("%s can act on %s in %s, which is not in trusted_accounts: %s%s", [
			fn_address,
			res,
			account_label(acct),
			concat(", ", actions),
			granted_by(grants),
		]),
		"address": grant_address(grants, fn_address),
		"flows": flows,
	}
}

flow_actions(fn_address, res) := {a |
	some fl in egress_flows
	fl.function.address == fn_address
	fl.resource.arn == res
	some a in object.get(fl, "actions", [])
}

statement_actions(grants) := {a |
	some [_, _, actions] in grants
	some a in actions
}

granted_by(grants) := sprintf(" (granted by %s)", [concat("; ", sort({statement_label(pol, st) | some [pol, st, _] in grants}))]) if {
	count(grants) > 0
} else := ""

statement_label(pol, st) := sprintf("statement %q of %s", [st.sid, policy_name(pol)]) if {
	object.get(st, "sid", "") != ""
} else := policy_name(pol)

policy_name(pol) := sprintf("policy %s", [pol.name]) if {
	object.get(pol, "name", "") != ""
} else := pol.address

grant_address(grants, fallback) := addrs[0] if {
	addrs := sort({pol.address | some [pol, _, _] in grants; object.get(pol, "address", "") != ""})
	count(addrs) > 0
} else := fallback

account_label("another account") := "another account"

account_label(acct) := sprintf("account %s", [acct]) if acct != "another account"
