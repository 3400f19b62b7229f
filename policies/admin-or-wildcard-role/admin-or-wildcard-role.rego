# METADATA
# scope: package
# title: Admin or wildcard execution role
# description: >-
#   A function's execution role holds administrator-level or whole-service
#   grants: the AWS managed AdministratorAccess or PowerUserAccess policy,
#   or an Allow statement with Action "*", "iam:*" or "<service>:*" (or an
#   Allow with NotAction) on Resource "*". Anyone who can run code in the
#   function — a bug, a compromised dependency, a caller of a public
#   endpoint — gets all of it. A permissions boundary, where present, is
#   named in the message because it caps what the grant really allows.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
#     description: IAM best practices — apply least-privilege permissions
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
#     description: Lambda execution role
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html
#     description: AWS managed policies for job functions (AdministratorAccess, PowerUserAccess)
# custom:
#   id: LC009
#   short_code: admin-or-wildcard-role
#   severity: critical
#   remediation: >-
#     Give each function its own role with only the actions it calls, on the
#     resources it uses (the access flows list what it can reach today).
#     Detach AdministratorAccess/PowerUserAccess, replace "service:*" by the
#     specific actions, and replace Resource "*" by the ARNs. IAM Access
#     Analyzer can generate a policy from CloudTrail activity.
package lambdacheck.rules.admin_or_wildcard_role

import data.lambdacheck.lib

admin_managed := {"AdministratorAccess", "PowerUserAccess"}

# execution_roles: role ARN -> sorted addresses of the functions using it.
execution_roles := {arn: fns |
	some arn in {fn.role | some fn in lib.functions}
	fns := sort([fn.address | some fn in lib.functions; fn.role == arn])
}

# AWS managed administrator policies, by name or ARN (the document may be
# absent when the catalog lacks it).
deny contains finding if {
	some arn, fns in execution_roles
	role := lib.role_by_arn[arn]
	some pol in lib.identity_policies(role)
	name := managed_admin(pol)
	finding := {
		"message": sprintf("execution role %s (used by %s) has the AWS managed policy %s attached%s", [
			role.name, concat(", ", fns), name, boundary_note(role),
		]),
		"address": lib.policy_address(pol, role),
		"flows": outside_flows(fns),
	}
}

managed_admin(pol) := name if {
	object.get(pol, "managed", "") == "aws"
	some name in admin_managed
	name in {object.get(pol, "name", ""), arn_name(object.get(pol, "arn", ""))}
}

arn_name(arn) := parts[count(parts) - 1] if {
	parts := split(arn, "/")
	count(parts) > 1
} else := ""

# Wildcard grants in any other identity policy: the Allow statements on
# Resource "*" that the engine found granting every action or whole services
# (input.facts; the rule reads no policy document itself).
deny contains finding if {
	some arn, fns in execution_roles
	role := lib.role_by_arn[arn]
	some [pol, pf] in lib.role_policy_facts(arn)
	not managed_admin(pol)
	grants := {g | some wg in object.get(pf, "wildcards", []); some g in wildcard_texts(wg)}
	count(grants) > 0
	finding := {
		"message": sprintf("execution role %s (used by %s) is granted %s on \"*\" by %s%s", [
			role.name, concat(", ", fns), concat(", ", sort(grants)), lib.policy_label(pol), boundary_note(role),
		]),
		"address": lib.policy_address(pol, role),
		"flows": outside_flows(fns),
	}
}

# wildcard_texts: how a wildcard grant reads in the message.
wildcard_texts(wg) := {sprintf("%q", [a]) | some a in object.get(wg, "actions", [])} | not_action_texts(wg)

not_action_texts(wg) := {sprintf("every action except %s (Allow with NotAction)", [concat(", ", wg.not_action)])} if {
	count(object.get(wg, "not_action", [])) > 0
} else := set()

boundary_note(role) := sprintf(" (permissions boundary %s caps the effective grant)", [role.permissions_boundary.name]) if {
	object.get(role, "permissions_boundary", null) != null
} else := ""

# outside_flows: the functions' access flows to "*" that the grant proves.
outside_flows(fns) := sort([fl.id |
	some addr in fns
	some fl in object.get(lib.star_flows, addr, [])
	fl.decision != "denied"
])
