# METADATA
# scope: package
# title: Privilege-escalation actions in the execution role
# description: >-
#   The execution role may perform, on Resource "*", actions that let code in
#   the function gain more privileges than the role has: iam:PassRole with
#   lambda:CreateFunction (run new code as any role), lambda:UpdateFunctionCode
#   or UpdateFunctionConfiguration (take over another function and its role),
#   iam:Put*Policy / Attach*Policy / CreatePolicyVersion /
#   SetDefaultPolicyVersion / UpdateAssumeRolePolicy (rewrite permissions),
#   iam:CreateAccessKey / CreateLoginProfile / UpdateLoginProfile (mint
#   credentials for other users), sts:AssumeRole (become any role that trusts
#   the account). The rule reads the escalation actions the IAM engine finds
#   granted by the role's identity policies and keeps only the actions the
#   simulated access flows to "*" still allow after the permissions boundary
#   and SCPs; whole-service wildcards ("iam:*", "*") are
#   admin-or-wildcard-role's findings.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
#     description: Granting a user permissions to pass a role to an AWS service (iam:PassRole)
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
#     description: IAM best practices — least privilege
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html
#     description: Fine-tuning the Resource and Condition of Lambda permissions
# custom:
#   id: LC010
#   short_code: privilege-escalation-actions
#   severity: critical
#   remediation: >-
#     Scope each action to the resources the function must manage:
#     iam:PassRole to the exact role ARNs, with an iam:PassedToService
#     condition; lambda:UpdateFunctionCode and friends to the function ARNs
#     it deploys; sts:AssumeRole to the roles it needs. Remove IAM write
#     actions from execution roles; if a function must manage IAM, give it a
#     permissions boundary and require it on the roles it creates.
package lambdacheck.rules.privilege_escalation_actions

import data.lambdacheck.lib

# The simulator lists, per identity policy, the escalation actions
# (docs/flows.md, "facts") that an Allow statement on Resource "*" grants by
# name or by a partial wildcard ("iam:Put*Policy"), decided by the IAM
# engine's own action matching; whole-service wildcards are
# admin-or-wildcard-role's. The rule reads these facts: it matches no action
# pattern itself.

# role_grants: role ARN -> [[policy, lower-case action -> canonical name]],
# computed once per role however many functions share it.
role_grants := {arn: grants |
	some arn in {fn.role | some fn in lib.functions}
	grants := [[pol, granted] |
		some [pol, pf] in lib.role_policy_facts(arn)
		granted := {lower(e.action): e.action | some e in object.get(pf, "escalations", [])}
		count(granted) > 0
	]
	count(grants) > 0
}

deny contains finding if {
	some fn in lib.functions
	some [pol, granted] in role_grants[fn.role]
	role := lib.role_by_arn[fn.role]
	effective := effective_actions(fn.address, granted)
	count(effective) > 0
	names := sort([granted[a] | some a in effective])
	finding := {
		"message": sprintf("execution role %s of %s may %s on \"*\" (%s)%s", [
			role.name,
			fn.address,
			concat(", ", names),
			lib.policy_label(pol),
			combo_note(effective),
		]),
		"address": lib.policy_address(pol, role),
		"flows": proving_flows(fn.address, effective),
	}
}

# effective_actions: with access flows in the input, only the actions a
# non-denied access flow of the function to "*" still lists (boundaries and
# SCPs applied); in an inventory-only run, the policy alone.
effective_actions(fn_address, granted) := {a |
	some fl in star_flows(fn_address)
	some x in fl.actions
	a := lower(x)
	granted[a]
} if {
	count(lib.access_flows) > 0
} else := {a | some a, _ in granted}

star_flows(fn_address) := [fl |
	some fl in object.get(lib.star_flows, fn_address, [])
	fl.decision != "denied"
]

proving_flows(fn_address, effective) := sort({fl.id |
	some fl in star_flows(fn_address)
	some x in fl.actions
	lower(x) in effective
})

combo_note(effective) := ": with lambda:CreateFunction it can run new code as any role it can pass" if {
	"iam:passrole" in effective
	"lambda:createfunction" in effective
} else := ": it can change the code of any function and so act as that function's role" if {
	"lambda:updatefunctioncode" in effective
} else := ""
