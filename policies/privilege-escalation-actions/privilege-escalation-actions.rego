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
#   the account). The rule reads the role's identity policies and keeps only
#   the actions the simulated access flows to "*" still allow after the
#   permissions boundary and SCPs; whole-service wildcards ("iam:*", "*") are
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

# The escalation actions, lower-case (IAM action names ignore case) to their
# canonical spelling.
escalation := {
	"iam:passrole": "iam:PassRole",
	"lambda:createfunction": "lambda:CreateFunction",
	"lambda:updatefunctioncode": "lambda:UpdateFunctionCode",
	"lambda:updatefunctionconfiguration": "lambda:UpdateFunctionConfiguration",
	"iam:putrolepolicy": "iam:PutRolePolicy",
	"iam:putuserpolicy": "iam:PutUserPolicy",
	"iam:putgrouppolicy": "iam:PutGroupPolicy",
	"iam:attachrolepolicy": "iam:AttachRolePolicy",
	"iam:attachuserpolicy": "iam:AttachUserPolicy",
	"iam:attachgrouppolicy": "iam:AttachGroupPolicy",
	"iam:createpolicyversion": "iam:CreatePolicyVersion",
	"iam:setdefaultpolicyversion": "iam:SetDefaultPolicyVersion",
	"iam:updateassumerolepolicy": "iam:UpdateAssumeRolePolicy",
	"iam:createaccesskey": "iam:CreateAccessKey",
	"iam:createloginprofile": "iam:CreateLoginProfile",
	"iam:updateloginprofile": "iam:UpdateLoginProfile",
	"sts:assumerole": "sts:AssumeRole",
}

functions := [fn | some fn in object.get(input, ["inventory", "functions"], []); not fn.external]

roles[role.arn] := role if some role in object.get(input, ["inventory", "roles"], [])

deny contains finding if {
	some fn in functions
	role := roles[fn.role]
	some pol in array.concat(object.get(role, "inline_policies", []), object.get(role, "attached_policies", []))
	granted := granted_on_star(object.get(pol, "document", {}))
	effective := effective_actions(fn.address, granted)
	count(effective) > 0
	names := sort([escalation[a] | some a in effective])
	finding := {
		"message": sprintf("execution role %s of %s may %s on \"*\" (%s)%s", [
			role.name,
			fn.address,
			concat(", ", names),
			policy_label(pol),
			combo_note(effective),
		]),
		"address": policy_address(pol, role),
		"flows": proving_flows(fn.address, effective),
	}
}

# granted_on_star: escalation actions (lower-case) an Allow statement grants
# on Resource "*" through a name or a partial wildcard ("iam:Put*Policy"),
# not through a whole-service wildcard.
granted_on_star(doc) := {a |
	some st in statements(doc)
	st.Effect == "Allow"
	"*" in as_list(object.get(st, "Resource", []))
	some pattern in as_list(object.get(st, "Action", []))
	p := lower(pattern)
	not whole_service(p)
	some a, _ in escalation
	glob.match(iam_glob(p), null, a)
}

whole_service("*")

whole_service(p) if regex.match(`^[a-z0-9-]+:\*$`, p)

# iam_glob turns an IAM action pattern (only * and ? are special) into a
# glob pattern.
iam_glob(p) := replace(replace(glob.quote_meta(p), `\*`, "*"), `\?`, "?")

# effective_actions: with flows, only the actions a non-denied access flow
# of the function to "*" still lists (boundaries and SCPs applied); without
# any access flow for the function, the policy alone.
effective_actions(fn_address, granted) := {a |
	some a in granted
	some fl in star_flows(fn_address)
	some x in fl.actions
	lower(x) == a
} if {
	has_access_flows(fn_address)
} else := granted

has_access_flows(fn_address) if {
	some fl in input.flows
	fl.kind == "access"
	fl.function.address == fn_address
}

star_flows(fn_address) := [fl |
	some fl in input.flows
	fl.kind == "access"
	fl.function.address == fn_address
	fl.outside == true
	fl.resource.arn == "*"
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

policy_label(pol) := sprintf("AWS managed policy %s", [pol.name]) if {
	object.get(pol, "managed", "") == "aws"
} else := sprintf("customer managed policy %s", [pol.name]) if {
	object.get(pol, "managed", "") == "customer"
} else := sprintf("inline policy %s", [pol.name]) if {
	object.get(pol, "name", "") != ""
} else := "an inline policy"

policy_address(pol, role) := pol.address if {
	object.get(pol, "address", "") != ""
} else := role.address

statements(doc) := doc.Statement if is_array(doc.Statement)

else := [doc.Statement] if is_object(doc.Statement)

else := []

as_list(x) := x if is_array(x)

else := [x]
