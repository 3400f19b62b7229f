# METADATA
# scope: package
# title: Public entry reaches data write
# description: >-
#   A path that starts at a public entry — any AWS account allowed to invoke
#   a function, or a function URL with AuthType NONE — ends, after zero or
#   more function hops, in Write or Permissions management access to data
#   (put/delete objects, items or records, change resource policies). An
#   anonymous caller can then alter or destroy that data through the
#   functions. Logging, tracing and metrics writes do not count.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
#     description: Control access to Lambda function URLs
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
#     description: Lambda resource-based policies
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html
#     description: Access levels in IAM policy summaries (Write, Permissions management)
# custom:
#   id: LC014
#   short_code: public-entry-reaches-data-write
#   severity: critical
#   remediation: >-
#     Close the entry (AuthType AWS_IAM on the URL, no Principal "*"
#     permission) or cut the write: give the publicly reachable function a
#     role without write access and pass work to a private function through a
#     queue that validates input. Where the write is intended, require
#     authentication in front of it (API Gateway authorizer, Cognito, IAM).
package lambdacheck.rules.public_entry_reaches_data_write

flows_by_id[fl.id] := fl if some fl in input.flows

public_reach := {"public", "public-url"}

sensitive_levels := {"Write", "Permissions management"}

# Observability writes every function has; they are not data.
non_data_services := {"logs", "xray", "cloudwatch"}

# paths: [entry id, end id] of every public chain ending in a data write.
paths contains [entry.id, last.id] if {
	some fl in input.flows
	fl.kind == "chain"
	fl.decision != "denied"
	entry := flows_by_id[fl.path[0]]
	entry.kind == "reach"
	entry.reach in public_reach
	last := flows_by_id[fl.path[count(fl.path) - 1]]
	last.kind == "access"
	last.level in sensitive_levels
	count(data_actions(last)) > 0
}

deny contains finding if {
	some [entry_id, last_id] in paths
	entry := flows_by_id[entry_id]
	last := flows_by_id[last_id]
	chain := shortest(entry_id, last_id)
	finding := {
		"message": sprintf("%s → %s on %s (%s)%s", [
			entry_text(entry),
			last.level,
			ref_name(last.resource),
			action_text(data_actions(last)),
			hops_text(chain),
		]),
		"address": entry_address(entry),
		"flows": [chain.id],
	}
}

data_actions(access) := sort([a |
	some a in object.get(access, "actions", [])
	not split(lower(a), ":")[0] in non_data_services
])

shortest(entry_id, last_id) := flows_by_id[best[1]] if {
	candidates := [[count(c.path), c.id] |
		some c in input.flows
		c.kind == "chain"
		c.decision != "denied"
		c.path[0] == entry_id
		c.path[count(c.path) - 1] == last_id
	]
	best := sort(candidates)[0]
}

entry_text(entry) := sprintf("anyone on the internet can call the function URL of %s without credentials", [entry.target.address]) if {
	entry.reach == "public-url"
} else := sprintf("any AWS account can invoke %s", [entry.target.address])

hops_text(chain) := sprintf(", along %s", [chain.title]) if {
	count(chain.path) > 2
	object.get(chain, "title", "") != ""
} else := ""

action_text(actions) := concat(", ", array.concat(array.slice(actions, 0, 5), [sprintf("and %d more", [count(actions) - 5])])) if {
	count(actions) > 5
} else := concat(", ", actions)

# entry_address: the URL for a public URL, else the function.
entry_address(entry) := addrs[0] if {
	entry.reach == "public-url"
	q := qualifier(entry.target.arn)
	addrs := sort([u.address |
		some fn in object.get(input, ["inventory", "functions"], [])
		fn.address == entry.target.address
		some u in object.get(fn, "urls", [])
		object.get(u, "qualifier", "") == q
	])
	count(addrs) > 0
} else := entry.target.address

qualifier(arn) := parts[7] if {
	parts := split(arn, ":")
	count(parts) == 8
} else := ""

ref_name(r) := r.address if {
	object.get(r, "address", "") != ""
} else := object.get(r, "arn", "")
