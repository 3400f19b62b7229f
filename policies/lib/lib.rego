# Package lib holds what the built-in rules share: the flows partitioned by
# kind (and the access flows by purpose), inventory lookups by address and
# ARN, the engine's facts about the policies (input.facts), the accounts the
# settings trust, and small ARN and policy-naming helpers. It reads no policy
# document: what a statement grants is the IAM engine's answer, in the facts.
# Every rule is evaluated in the same query, so each partition and index is
# computed once per run however many rules read it — one pass over the flows
# instead of one per rule. User rules (--policy DIR) may import it too.
#
# It defines no deny set and carries no METADATA: it is not a rule.
package lambdacheck.lib

# --- flows --------------------------------------------------------------------

flow_kinds := {"invoke", "access", "reach", "chain"}

# by_kind groups input.flows by kind in one pass (comprehension indexing on
# f.kind).
by_kind := {kind: fls |
	some kind in flow_kinds
	fls := [f | some f in object.get(input, "flows", []); f.kind == kind]
}

invoke_flows := by_kind.invoke

access_flows := by_kind.access

reach_flows := by_kind.reach

chain_flows := by_kind.chain

# Lookups by id, over the partitions a chain path walks through. Each is
# built on first use only.
invoke_by_id := {f.id: f | some f in invoke_flows}

reach_by_id := {f.id: f | some f in reach_flows}

access_by_id := {f.id: f | some f in access_flows}

# destination_flows are the access flows a destination or dead-letter
# configuration asks for (purpose destination-*, dead-letter,
# event-source-on-failure …).
destination_flows := [f | some f in access_flows; f.purpose]

# cross_account_flows are access flows to resources in another account.
cross_account_flows := [f | some f in access_flows; f.cross_account == true]

# outside_flows are access flows to resources outside the inventory ("*"
# or patterns).
outside_flows := [f | some f in access_flows; f.outside == true]

outside_by_id := {f.id: f | some f in outside_flows}

# star_flows: access flows to Resource "*" — what the role may do to
# anything — grouped by function address.
star_flows := {addr: fls |
	some addr in {f.function.address | some f in star}
	fls := [f | some f in star; f.function.address == addr]
}

star := [f | some f in outside_flows; f.resource.arn == "*"]

# --- inventory ----------------------------------------------------------------

# functions are the functions the source defines (not external targets).
functions := [fn | some fn in object.get(input, ["inventory", "functions"], []); not fn.external]

function_by_address := {fn.address: fn | some fn in functions}

# Roles whose ARN is unknown (empty) are left out: they would collide.
role_by_arn := {r.arn: r | some r in object.get(input, ["inventory", "roles"], []); r.arn != ""}

triggers := object.get(input, ["inventory", "triggers"], [])

# identity_policies are a role's inline and attached policies.
identity_policies(role) := array.concat(object.get(role, "inline_policies", []), object.get(role, "attached_policies", []))

# --- facts --------------------------------------------------------------------
# What the IAM engine decided about the policies themselves (input.facts,
# docs/flows.md): rules read these instead of interpreting policy documents.

# role_facts: role ARN -> the facts of its identity policies.
role_facts := {r.arn: r | some r in object.get(input, ["facts", "roles"], [])}

# role_policy_facts(arn) are [policy, facts] pairs for a role's identity
# policies with a fact (the policy from the inventory).
role_policy_facts(arn) := [[pol, pf] |
	role := role_by_arn[arn]
	pols := identity_policies(role)
	some pf in object.get(role_facts, [arn, "policies"], [])
	pol := pols[pf.index]
]

# resource_policy_facts are the function resource policies with a service
# grant that is not pinned to its source.
resource_policy_facts := object.get(input, ["facts", "resource_policies"], [])

# --- settings -----------------------------------------------------------------

# known_accounts are the application's own accounts and the trusted ones.
known_accounts := {a | some a in object.get(input, ["settings", "trusted_accounts"], [])} | {a | some a in object.get(input, ["settings", "accounts"], [])}

# today is settings.today (YYYY-MM-DD), which lambdacheck always sets (the
# current UTC date unless --today says otherwise): rules have no clock.
today := d if {
	d := object.get(input, ["settings", "today"], "")
	d != ""
}

# --- helpers ------------------------------------------------------------------

# account_of is the account field of an ARN ("" for S3 and non-ARNs).
account_of(arn) := parts[4] if {
	parts := split(arn, ":")
	count(parts) >= 6
} else := ""

# qualifier is the alias or version of a qualified function ARN, "" for the
# unqualified function.
qualifier(arn) := parts[7] if {
	parts := split(arn, ":")
	count(parts) == 8
} else := ""

# qualified_label is "ADDRESS:QUALIFIER", or ADDRESS for "".
qualified_label(address, q) := sprintf("%s:%s", [address, q]) if q != ""

else := address

# ref_name is a flow reference's Terraform address, or its ARN.
ref_name(r) := r.address if {
	object.get(r, "address", "") != ""
} else := object.get(r, "arn", "")

# policy_label names an identity policy in messages.
policy_label(pol) := sprintf("AWS managed policy %s", [pol.name]) if {
	object.get(pol, "managed", "") == "aws"
} else := sprintf("customer managed policy %s", [pol.name]) if {
	object.get(pol, "managed", "") == "customer"
} else := sprintf("inline policy %s", [pol.name]) if {
	object.get(pol, "name", "") != ""
} else := "an inline policy"

# policy_address is where a role's policy is defined (its attachment for
# managed policies), else the role.
policy_address(pol, role) := pol.address if {
	object.get(pol, "address", "") != ""
} else := role.address

# granting_sids are the Sids of the resource-policy Allow statements that
# decided a flow's steps.
granting_sids(fl) := {st.sid |
	some s in fl.steps
	some st in s.statements
	st.layer == "resource"
	st.effect == "Allow"
	object.get(st, "sid", "") != ""
}

# conditions are the open conditions of a flow's uncertain statements.
conditions(fl) := {st.condition |
	some s in fl.steps
	some st in s.statements
	object.get(st, "condition", "") != ""
}
