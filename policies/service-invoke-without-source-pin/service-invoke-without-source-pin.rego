# METADATA
# scope: package
# title: Service invoke without source pin (confused deputy)
# description: >-
#   The function lets an AWS service principal (sns.amazonaws.com,
#   s3.amazonaws.com, events.amazonaws.com …) invoke it without pinning the
#   source: with neither aws:SourceArn nor aws:SourceAccount, a topic,
#   bucket or rule in any other account can make the service invoke your
#   function — the confused deputy problem. S3 and SES source ARNs carry no
#   account id (bucket names are global and can be re-registered by another
#   account after deletion), so for them only aws:SourceAccount
#   (source_account) pins the source to your account.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
#     description: The confused deputy problem (cross-service)
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html
#     description: Granting function access to AWS services (SourceArn and SourceAccount)
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
#     description: Processing Amazon S3 event notifications with Lambda
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount
#     description: aws:SourceAccount and aws:SourceArn global condition keys
# custom:
#   id: LC007
#   short_code: service-invoke-without-source-pin
#   severity: high
#   remediation: >-
#     Set source_arn on the aws_lambda_permission to the exact topic, rule,
#     API, log group or alarm that should invoke the function, and for S3
#     and SES also set source_account to the bucket's or identity's account.
#     In a full resource policy, add aws:SourceArn / aws:SourceAccount
#     conditions to the service statement.
package lambdacheck.rules.service_invoke_without_source_pin

import data.lambdacheck.lib

# Services whose source ARNs carry no account id.
accountless := {"s3.amazonaws.com", "ses.amazonaws.com"}

# Alexa's principals end in amazon.com, not amazonaws.com.
service_principal(p) if regex.match(`^[a-z0-9.-]+\.(amazonaws\.com(\.cn)?|amazon\.com)$`, p)

# Sources without an ARN, pinned by lambda:EventSourceToken (the skill id;
# "Using AWS Lambda with Alexa").
token_pinned := {"alexa-appkit.amazon.com", "alexa-connectedhome.amazon.com"}

# --- permissions (aws_lambda_permission / AddPermission statements) -------

# inventory_reason: why a permission's own fields leave the source open.
inventory_reason(p) := sprintf("%s may invoke it without event_source_token (the skill id), so any Alexa skill of any developer can trigger it", [p.principal]) if {
	token_pinned[p.principal]
	not_set(p, "event_source_token")
} else := sprintf("%s may invoke it with neither source_arn nor source_account, so a resource of that service in any account can trigger it", [p.principal]) if {
	not_set(p, "source_arn")
	not_set(p, "source_account")
	not_set(p, "event_source_token")
} else := sprintf("%s is pinned by source_arn %s but not by source_account; %s ARNs carry no account id, so a same-named resource in another account passes the check", [p.principal, p.source_arn, service_name(p.principal)]) if {
	accountless[p.principal]
	not_set(p, "source_account")
	not_set(p, "event_source_token")
}

not_set(p, field) if {
	object.get(p, field, "") == ""
	not unresolved(p, field)
}

unresolved(p, field) if {
	some u in object.get(p, "unknown", [])
	u.field == field
}

service_name(principal) := split(principal, ".")[0]

# flagged: [function address, permission address] of every open permission.
flagged contains [fn.address, p.address] if {
	some fn in lib.functions
	some p in object.get(fn, "permissions", [])
	service_principal(p.principal)
	not unknown_services[p.principal]
	inventory_reason(p)
}

# Principals no AWS service signs as (the simulator's unknown-service reach
# flows): such a grant is a dead letter, reported by unknown-service-principal,
# not a confused deputy.
unknown_services := {fl.principal | some fl in lib.reach_flows; fl.reach == "unknown-service"}

flagged contains [fn.address, p.address] if {
	some fl in service_reach
	fn := lib.function_by_address[fl.target.address]
	some p in object.get(fn, "permissions", [])
	grants(p, fl)
}

deny contains finding if {
	some [fn_address, p_address] in flagged
	fn := lib.function_by_address[fn_address]
	some p in fn.permissions
	p.address == p_address
	finding := {
		"message": sprintf("%s on %s: %s", [p.address, lib.qualified_label(fn.address, object.get(p, "qualifier", "")), reason(p)]),
		"address": p.address,
		"flows": sort([fl.id | some fl in service_reach; fl.target.address == fn.address; grants(p, fl)]),
	}
}

reason(p) := r if {
	r := inventory_reason(p)
} else := sprintf("the simulation shows %s acting for another account's resource may invoke it", [p.principal])

# --- reach flows the simulator found but no permission explains -----------
# (a full resource policy written with aws_lambda_resource_policy).

deny contains finding if {
	some fl in service_reach
	fn := object.get(lib.function_by_address, fl.target.address, {})
	not explained(fl, fn)
	finding := {
		"message": sprintf("%s acting for another account's resource may invoke %s%s: its resource-based policy grants the service without aws:SourceArn or aws:SourceAccount", [
			fl.principal,
			fl.target.address,
			qualifier_text(fl.target.arn),
		]),
		"address": policy_address(fn, lib.qualifier(fl.target.arn), fl.target.address),
		"flows": [fl.id],
	}
}

explained(fl, fn) if {
	some p in object.get(fn, "permissions", [])
	grants(p, fl)
}

# --- full resource policies: S3/SES statements without aws:SourceAccount ---
# The simulator lists the Allow statements of each resource policy that
# name a service principal without both aws:SourceArn and aws:SourceAccount
# conditions (input.facts resource_policies), as the IAM engine compiled
# them; policies the source assembled from permissions are judged above.

deny contains finding if {
	some rpf in lib.resource_policy_facts
	fn := lib.function_by_address[rpf.function]
	rp := fn.resource_policies[rpf.index]
	object.get(rp, "address", fn.address) != fn.address
	some g in rpf.unpinned
	accountless[g.service]
	not g.source_account
	finding := {
		"message": sprintf("statement %s of resource policy %s on %s lets %s invoke it without an aws:SourceAccount condition; %s ARNs carry no account id", [
			statement_label(g.statement),
			rp.address,
			lib.qualified_label(fn.address, object.get(rp, "qualifier", "")),
			g.service,
			service_name(g.service),
		]),
		"address": rp.address,
		"flows": [],
	}
}

# --- helpers ----------------------------------------------------------------

service_reach := [fl |
	some fl in lib.reach_flows
	fl.reach == "service"
	fl.decision in {"allowed", "conditional"}
	not unknown_services[fl.principal]
]

# grants: permission p is the one behind reach flow fl.
grants(p, fl) if {
	object.get(p, "qualifier", "") == lib.qualifier(fl.target.arn)
	p.principal == fl.principal
}

policy_address(fn, q, fallback) := addrs[0] if {
	addrs := sort([rp.address |
		some rp in object.get(fn, "resource_policies", [])
		object.get(rp, "qualifier", "") == q
		object.get(rp, "address", "") != ""
	])
	count(addrs) > 0
} else := fallback

statement_label(st) := sprintf("%q", [st.sid]) if {
	object.get(st, "sid", "") != ""
} else := sprintf("#%d", [st.index])

qualifier_text(arn) := sprintf(" (qualifier %s)", [lib.qualifier(arn)]) if {
	lib.qualifier(arn) != ""
} else := ""
