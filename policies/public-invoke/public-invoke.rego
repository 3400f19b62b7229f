# METADATA
# scope: package
# title: Public invoke
# description: >-
#   The function's resource-based policy lets any principal of any AWS
#   account invoke it (Principal "*" with no condition that narrows it to
#   your accounts or organization). The simulation probes with a caller
#   from an unrelated account and organization; the finding names the
#   granting statement. Grants limited by aws:PrincipalOrgID,
#   aws:SourceAccount or aws:SourceArn to your own resources are not public
#   and are not reported.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
#     description: Viewing and managing Lambda resource-based policies
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-cross-account.html
#     description: Granting function access to other accounts
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html
#     description: IAM Access Analyzer flags Lambda functions shared outside the zone of trust
# custom:
#   id: LC004
#   short_code: public-invoke
#   severity: critical
#   remediation: >-
#     Replace the Principal "*" permission by one naming the accounts or
#     service principals that need to invoke the function; to share with
#     your whole organization keep "*" but set principal_org_id
#     (aws:PrincipalOrgID). Remove the permission if the function is not
#     meant to be called from outside.
package lambdacheck.rules.public_invoke

deny contains finding if {
	some fl in input.flows
	fl.kind == "reach"
	fl.reach == "public"
	fl.decision in {"allowed", "conditional"}
	finding := {
		"message": sprintf("any AWS account can call %s on %s%s (%s)%s", [
			concat(", ", fl.actions),
			ref_name(fl.target),
			qualifier_text(fl.target.arn),
			granted_by(fl),
			condition_text(fl),
		]),
		"address": grant_address(fl),
		"flows": [fl.id],
	}
}

# --- where the grant comes from -------------------------------------------

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

condition_text(fl) := sprintf(", provided %s", [concat(" and ", conds)]) if {
	conds := {st.condition |
		some s in fl.steps
		some st in s.statements
		object.get(st, "condition", "") != ""
	}
	count(conds) > 0
} else := ", with no condition" if {
	fl.decision == "allowed"
} else := ", under conditions the simulation could not decide"

# grant_address: the aws_lambda_permission whose statement id the flow's
# granting statement carries; else the function's resource policy for the
# qualifier; else the function.
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
		p.principal == "*"
		object.get(p, "qualifier", "") == q
	])
	count(addrs) > 0
} else := addrs[0] if {
	fn := function(fl.target.address)
	q := qualifier(fl.target.arn)
	addrs := sort([rp.address |
		some rp in fn.resource_policies
		object.get(rp, "qualifier", "") == q
		object.get(rp, "address", "") != ""
	])
	count(addrs) > 0
} else := ref_name(fl.target)

function(address) := fn if {
	some fn in object.get(input, ["inventory", "functions"], [])
	fn.address == address
}

# qualifier is the alias or version of a qualified function ARN, "" for the
# unqualified function.
qualifier(arn) := parts[7] if {
	parts := split(arn, ":")
	count(parts) == 8
} else := ""

qualifier_text(arn) := sprintf(" (qualifier %s)", [qualifier(arn)]) if qualifier(arn) != ""

else := ""

ref_name(r) := r.address if {
	object.get(r, "address", "") != ""
} else := object.get(r, "arn", "")
