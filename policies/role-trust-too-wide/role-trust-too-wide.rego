# METADATA
# scope: package
# title: Execution role trust wider than Lambda
# description: >-
#   An execution role's trust policy lets someone other than
#   lambda.amazonaws.com assume it: another service (ec2.amazonaws.com …),
#   any AWS account, principals of its own account through the account root,
#   or another account that is not trusted and is admitted without any
#   condition (no sts:ExternalId, MFA or principal condition). Whoever
#   assumes the role gets every permission the function has, without
#   running the function. edgelambda.amazonaws.com is accepted (Lambda@Edge
#   needs it); cross-account trust guarded by conditions is left alone.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
#     description: Lambda execution role (trust policy for lambda.amazonaws.com)
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
#     description: Access to AWS accounts owned by third parties (sts:ExternalId)
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
#     description: The confused deputy problem
#   - ref: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-permissions.html
#     description: Lambda@Edge execution roles trust edgelambda.amazonaws.com
# custom:
#   id: LC011
#   short_code: role-trust-too-wide
#   severity: high
#   remediation: >-
#     Let the execution role trust only lambda.amazonaws.com (with
#     aws:SourceAccount if you like) and give other services or accounts
#     their own roles. If another account must assume this role, name its
#     role ARN rather than the account root, require sts:ExternalId, and add
#     the account to trusted_accounts.
package lambdacheck.rules.role_trust_too_wide

import data.lambdacheck.lib

# The simulator's probe for "some account named nowhere".
any_account := "000000000000"

lambda_services := {"lambda.amazonaws.com", "edgelambda.amazonaws.com"}

deny contains finding if {
	some fl in lib.reach_flows
	fl.reach == "assume-role"
	fl.decision in {"allowed", "conditional"}
	who := too_wide(fl)
	finding := {
		"message": sprintf("execution role %s%s can be assumed by %s%s", [
			role_name(fl.target.arn),
			used_by(fl.target.arn),
			who,
			condition_note(fl),
		]),
		"address": fl.target.address,
		"flows": [fl.id],
	}
}

too_wide(fl) := "any AWS account (the trust policy admits \"*\" or every account)" if {
	fl.principal == any_account
} else := sprintf("the service %s, not only Lambda", [fl.principal]) if {
	endswith(fl.principal, ".amazonaws.com")
	not lambda_services[fl.principal]
} else := "any principal of its own account allowed sts:AssumeRole (the trust policy names the account root)" if {
	fl.principal == lib.account_of(fl.target.arn)
	fl.decision == "allowed"
} else := sprintf("account %s, which is not in trusted_accounts, with no condition such as sts:ExternalId", [fl.principal]) if {
	regex.match(`^[0-9]{12}$`, fl.principal)
	fl.principal != lib.account_of(fl.target.arn)
	not fl.principal in lib.known_accounts
	fl.decision == "allowed"
}

condition_note(fl) := sprintf(", provided %s", [concat(" and ", lib.conditions(fl))]) if {
	count(lib.conditions(fl)) > 0
} else := ""

used_by(role_arn) := sprintf(" (used by %s)", [concat(", ", fns)]) if {
	fns := sort([fn.address | some fn in lib.functions; fn.role == role_arn])
	count(fns) > 0
} else := ""

role_name(arn) := parts[count(parts) - 1] if {
	parts := split(arn, "/")
	count(parts) > 1
} else := arn
