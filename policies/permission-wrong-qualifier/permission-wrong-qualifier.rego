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

# triggers_by_function: function address -> the triggers that target it.
triggers_by_function := {addr: ts |
	some addr in {t.function_address | some t in lib.triggers}
	ts := [t | some t in lib.triggers; t.function_address == addr]
}

# --- (a) invoke flows denied because permissions are per qualifier --------

qualifier_denial contains [fl, s] if {
	some fl in lib.invoke_flows
	fl.decision == "denied"
	fl.trigger.enabled == true
	some s in fl.steps
	s.decision == "denied"
	contains(s.reason, "policies are per qualifier")
}

deny contains finding if {
	some [fl, s] in qualifier_denial
	q := object.get(fl.trigger.function, "qualifier", "")
	others := other_permissions(fl.trigger.function.address, s.principal, q)
	finding := {
		"message": sprintf("%s invokes %s, but the permission for %s is on %s; Lambda resource policies are per qualifier, so the invocation is denied", [
			trigger_address(fl.trigger),
			label(fl.trigger.function.address, q),
			s.principal,
			describe_permissions(fl.trigger.function.address, others),
		]),
		"address": address_or(others, trigger_address(fl.trigger)),
		"flows": [fl.id],
	}
}

other_permissions(fn_address, principal, q) := sort([p |
	some p in object.get(lib.function_by_address, [fn_address, "permissions"], [])
	p.principal == principal
	object.get(p, "qualifier", "") != q
])

describe_permissions(fn_address, ps) := concat(", ", [sprintf("%s (%s)", [p.address, label(fn_address, object.get(p, "qualifier", ""))]) | some p in ps]) if {
	count(ps) > 0
} else := "another qualifier"

address_or(ps, fallback) := ps[0].address if {
	count(ps) > 0
} else := fallback

# --- (b) permissions no trigger of their service uses ---------------------

deny contains finding if {
	some fn in lib.functions
	some p in object.get(fn, "permissions", [])
	types := trigger_types(p)
	pq := object.get(p, "qualifier", "")
	ts := [t |
		some t in object.get(triggers_by_function, fn.address, [])
		t.service in types
		source_matches(p, t)
	]
	count(ts) > 0
	every t in ts {
		object.get(t, "qualifier", "") != pq
	}
	not flagged_by_flow(fn.address, p.principal)
	finding := {
		"message": sprintf("%s lets %s invoke %s, but no %s trigger targets that qualifier: %s; Lambda resource policies are per qualifier, so the permission is unused and those triggers are not covered by it", [
			p.address,
			p.principal,
			label(fn.address, pq),
			concat("/", sort(types)),
			concat(", ", sort({sprintf("%s targets %s", [t.address, label(fn.address, object.get(t, "qualifier", ""))]) | some t in ts})),
		]),
		"address": p.address,
		"flows": [],
	}
}

flagged_by_flow(fn_address, principal) if {
	some [fl, s] in qualifier_denial
	fl.trigger.function.address == fn_address
	s.principal == principal
}

# trigger_types: the inventory trigger services a permission serves.
trigger_types(p) := {"function_url"} if {
	p.action == "lambda:InvokeFunctionUrl"
} else := principal_types[p.principal] if {
	principal_types[p.principal]
} else := {"logs"} if {
	regex.match(`^logs(\.[a-z0-9-]+)?\.amazonaws\.com$`, p.principal)
}

principal_types := {
	"s3.amazonaws.com": {"s3"},
	"sns.amazonaws.com": {"sns"},
	"events.amazonaws.com": {"eventbridge", "schedule"},
	"apigateway.amazonaws.com": {"apigateway", "apigatewayv2"},
	"elasticloadbalancing.amazonaws.com": {"alb"},
	"iot.amazonaws.com": {"iot"},
	"cognito-idp.amazonaws.com": {"cognito"},
	"lambda.alarms.cloudwatch.amazonaws.com": {"alarm"},
	"ses.amazonaws.com": {"ses"},
	"secretsmanager.amazonaws.com": {"secretsmanager"},
}

# source_matches: the permission's source_arn (an IAM ARN pattern with * and
# ?) admits the trigger's source; a permission without one admits any.
source_matches(p, _) if object.get(p, "source_arn", "") == ""

source_matches(p, t) if p.source_arn == object.get(t, "source_arn", "")

source_matches(p, t) if {
	glob.match(lib.iam_glob(p.source_arn), null, object.get(t, "source_arn", ""))
}

# --- helpers ----------------------------------------------------------------

trigger_address(t) := t.address if {
	object.get(t, "address", "") != ""
} else := t.function.address

label(address, q) := sprintf("%s:%s", [address, q]) if {
	q != ""
} else := sprintf("%s (unqualified)", [address])
