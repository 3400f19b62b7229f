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

import data.lambdacheck.lib

deny contains finding if {
	some fl in lib.reach_flows
	fl.reach == "public"
	fl.decision in {"allowed", "conditional"}
	finding := {
		"message": sprintf("any AWS account can call %s on %s%s (%s)%s", [
			concat(", ", fl.actions),
			lib.ref_name(fl.target),
			qualifier_text(fl.target.arn),
			granted_by(fl),
			condition_text(fl),
		]),
		"address": grant_address(fl),
		"flows": [fl.id],
	}
}

granted_by(fl) := sprintf("statement %s of its resource-based policy", [concat(", ", [sprintf("%q", [sid]) | some sid in sort(lib.granting_sids(fl))])]) if {
	count(lib.granting_sids(fl)) > 0
} else := "its resource-based policy"

condition_text(fl) := sprintf(", provided %s", [concat(" and ", lib.conditions(fl))]) if {
	count(lib.conditions(fl)) > 0
} else := ", with no condition" if {
	fl.decision == "allowed"
} else := ", under conditions the simulation could not decide"

# grant_address: the aws_lambda_permission whose statement id the flow's
# granting statement carries; else the permission to "*" on the qualifier;
# else the function's resource policy for the qualifier; else the function.
grant_address(fl) := addrs[0] if {
	addrs := sort([p.address |
		some p in permissions(fl)
		p.statement_id in lib.granting_sids(fl)
	])
	count(addrs) > 0
} else := addrs[0] if {
	addrs := sort([p.address | some p in permissions(fl); p.principal == "*"])
	count(addrs) > 0
} else := addrs[0] if {
	q := lib.qualifier(fl.target.arn)
	addrs := sort([rp.address |
		some rp in object.get(lib.function_by_address, [fl.target.address, "resource_policies"], [])
		object.get(rp, "qualifier", "") == q
		object.get(rp, "address", "") != ""
	])
	count(addrs) > 0
} else := lib.ref_name(fl.target)

# permissions of the flow's function on the flow's qualifier.
permissions(fl) := [p |
	q := lib.qualifier(fl.target.arn)
	some p in object.get(lib.function_by_address, [fl.target.address, "permissions"], [])
	object.get(p, "qualifier", "") == q
]

qualifier_text(arn) := sprintf(" (qualifier %s)", [lib.qualifier(arn)]) if {
	lib.qualifier(arn) != ""
} else := ""
