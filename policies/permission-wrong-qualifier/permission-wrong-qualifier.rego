# METADATA
# scope: package
# title: Permission on the wrong qualifier
# description: >-
#   Lambda evaluates the resource-based policy of the exact qualifier that is
#   invoked: a permission on the unqualified function does not cover alias
#   "live" or a version, and a permission on an alias does not cover the
#   unqualified function. The rule reports triggers denied for that reason
#   (the permission exists, but for another qualifier) and permissions whose
#   qualifier no trigger of their service targets, while a trigger of that
#   service targets the same function on another qualifier.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html
#     description: Lambda aliases — using aliases in event sources and permissions policies
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
#     description: Lambda resource-based policies (per qualifier)
#   - ref: https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
#     description: AddPermission — the Qualifier parameter
# custom:
#   id: LC008
#   short_code: permission-wrong-qualifier
#   severity: high
#   remediation: >-
#     Make the permission and the trigger name the same qualifier: set
#     qualifier on the aws_lambda_permission to the alias the trigger invokes
#     (for example "live"), or point the trigger at the unqualified function
#     ARN. When several qualifiers are invoked, add one permission per
#     qualifier.
package lambdacheck.rules.permission_wrong_qualifier

import data.lambdacheck.lib

# The simulator lists, on each invoke flow through the resource policy, the
# function's permissions that name the trigger's service principal and
# admit its source: those on the qualifier the trigger invokes
# (trigger.permissions) and those on other qualifiers
# (trigger.other_qualifier_permissions). The rule reads these facts; it
# matches no principal or ARN pattern itself.

# --- (a) invoke flows denied because permissions are per qualifier --------

qualifier_denial contains fl if {
	some fl in lib.invoke_flows
	fl.decision == "denied"
	fl.trigger.enabled == true
	count(object.get(fl.trigger, "permissions", [])) == 0
	count(object.get(fl.trigger, "other_qualifier_permissions", [])) > 0
}

deny contains finding if {
	some fl in qualifier_denial
	q := object.get(fl.trigger.function, "qualifier", "")
	others := permissions_at(fl.trigger.function.address, fl.trigger.other_qualifier_permissions)
	count(others) > 0
	finding := {
		"message": sprintf("%s invokes %s, but the permission for %s is on %s; Lambda resource policies are per qualifier, so the invocation is denied", [
			trigger_address(fl.trigger),
			label(fl.trigger.function.address, q),
			others[0].principal,
			describe_permissions(fl.trigger.function.address, others),
		]),
		"address": others[0].address,
		"flows": [fl.id],
	}
}

# permissions_at: the function's permissions with these addresses, sorted.
permissions_at(fn_address, addresses) := sort([p |
	some p in object.get(lib.function_by_address, [fn_address, "permissions"], [])
	p.address in addresses
])

describe_permissions(fn_address, ps) := concat(", ", [sprintf("%s (%s)", [p.address, label(fn_address, object.get(p, "qualifier", ""))]) | some p in ps])

# --- (b) permissions no trigger of their service uses ---------------------

# other_flows: permission address -> the invoke flows it would admit but
# for the qualifier; served and flagged: permissions that admit a trigger
# on their own qualifier, and those part (a) already points at. Built once,
# so the rule is linear in the flows.
other_flows[address] contains fl if {
	some fl in lib.invoke_flows
	some address in object.get(fl.trigger, "other_qualifier_permissions", [])
}

served contains address if {
	some fl in lib.invoke_flows
	some address in object.get(fl.trigger, "permissions", [])
}

flagged contains address if {
	some fl in qualifier_denial
	some address in fl.trigger.other_qualifier_permissions
}

deny contains finding if {
	some address, flows in other_flows
	not served[address]
	not flagged[address]
	some fl0 in flows
	fn_address := fl0.trigger.function.address
	some p in permissions_at(fn_address, [address])
	finding := {
		"message": sprintf("%s lets %s invoke %s, but no %s trigger targets that qualifier: %s; Lambda resource policies are per qualifier, so the permission is unused and those triggers are not covered by it", [
			p.address,
			p.principal,
			label(fn_address, object.get(p, "qualifier", "")),
			concat("/", sort({fl.trigger.type | some fl in flows})),
			concat(", ", sort({sprintf("%s targets %s", [trigger_address(fl.trigger), label(fn_address, object.get(fl.trigger.function, "qualifier", ""))]) | some fl in flows})),
		]),
		"address": p.address,
		"flows": [],
	}
}

# --- helpers ----------------------------------------------------------------

trigger_address(t) := t.address if {
	object.get(t, "address", "") != ""
} else := t.function.address

label(address, q) := sprintf("%s:%s", [address, q]) if {
	q != ""
} else := sprintf("%s (unqualified)", [address])
