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

import data.lambdacheck.lib

# public_entries are the ids of the public reach flows.
public_entries := {fl.id | some fl in lib.reach_flows; fl.reach in {"public", "public-url"}; fl.decision != "denied"}

# public_chains start at a public entry.
public_chains := [c |
	count(public_entries) > 0 # most estates have none: skip the chains
	some c in lib.chain_flows
	c.decision != "denied"
	c.path[0] in public_entries
]

sensitive_levels := {"Write", "Permissions management"}

# Observability writes every function has; they are not data.
non_data_services := {"logs", "xray", "cloudwatch"}

# paths: [entry id, end id] of every public chain ending in a data write.
paths contains [fl.path[0], last.id] if {
	some fl in public_chains
	last := lib.access_by_id[fl.path[count(fl.path) - 1]]
	last.kind == "access"
	last.level in sensitive_levels
	count(data_actions(last)) > 0
}

deny contains finding if {
	some [entry_id, last_id] in paths
	entry := lib.reach_by_id[entry_id]
	last := lib.access_by_id[last_id]
	chain := public_chains[shortest[[entry_id, last_id]]]
	finding := {
		"message": sprintf("%s → %s on %s (%s)%s%s", [
			entry_text(entry),
			last.level,
			lib.ref_name(last.resource),
			action_text(data_actions(last)),
			hops_text(chain),
			certainty(chain, entry, last),
		]),
		"address": entry_address(entry),
		"flows": [chain.id],
	}
}

data_actions(access) := sort([a |
	some a in object.get(access, "actions", [])
	not split(lower(a), ":")[0] in non_data_services
])

# shortest: per entry and data write, the chain with the fewest hops (then
# the smallest id): one sort, then the first of each pair.
ranked := sort([[c.path[0], c.path[count(c.path) - 1], count(c.path), c.id, i] | some i, c in public_chains])

shortest := {[r[0], r[1]]: r[4] |
	some j, r in ranked
	first_of_pair(j)
}

first_of_pair(0) if count(ranked) > 0

first_of_pair(j) if {
	j > 0
	[ranked[j - 1][0], ranked[j - 1][1]] != [ranked[j][0], ranked[j][1]]
}

entry_text(entry) := sprintf("anyone on the internet can call the function URL of %s without credentials", [entry.target.address]) if {
	entry.reach == "public-url"
} else := sprintf("any AWS account can invoke %s", [entry.target.address])

hops_text(chain) := sprintf(", along %s", [chain.title]) if {
	count(chain.path) > 2
	object.get(chain, "title", "") != ""
} else := ""

# certainty: nothing for an allowed path; for a conditional or unknown one,
# why (the first undecided step of its entry or its last hop).
certainty(chain, entry, last) := "" if {
	chain.decision == "allowed"
} else := sprintf("; the path is %s: %s", [chain.decision, why]) if {
	why := [s.reason | some fl in [entry, last]; some s in fl.steps; s.decision != "allowed"][0]
} else := sprintf("; the path is %s", [chain.decision])

action_text(actions) := concat(", ", array.concat(array.slice(actions, 0, 5), [sprintf("and %d more", [count(actions) - 5])])) if {
	count(actions) > 5
} else := concat(", ", actions)

# entry_address: the URL for a public URL, else the function.
entry_address(entry) := addrs[0] if {
	entry.reach == "public-url"
	q := lib.qualifier(entry.target.arn)
	addrs := sort([u.address |
		some u in object.get(lib.function_by_address, [entry.target.address, "urls"], [])
		object.get(u, "qualifier", "") == q
	])
	count(addrs) > 0
} else := entry.target.address
