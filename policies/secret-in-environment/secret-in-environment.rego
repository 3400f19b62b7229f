# METADATA
# scope: package
# title: Secret in environment variables
# description: >-
#   A function's environment holds what looks like a secret — a key that
#   names a password, token or key with a literal value, or a value shaped
#   like a credential — as flagged by the loader (values themselves are
#   never stored). Environment variables are visible to anyone allowed
#   lambda:GetFunctionConfiguration, end up in Terraform state and plans,
#   and are hard to rotate.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
#     description: Working with Lambda environment variables (securing them)
#   - ref: https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
#     description: Using Secrets Manager secrets in Lambda functions
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html
#     description: Parameter Store and Secrets Lambda extension
# custom:
#   id: LC015
#   short_code: secret-in-environment
#   severity: high
#   remediation: >-
#     Move the value to AWS Secrets Manager or SSM Parameter Store
#     (SecureString), pass only its ARN or name in the environment, grant the
#     role secretsmanager:GetSecretValue / ssm:GetParameter on that one
#     secret, and read it at start-up (the Parameters and Secrets Lambda
#     extension caches it). Rotate the exposed secret: it is already in
#     Terraform state.
package lambdacheck.rules.secret_in_environment

import data.lambdacheck.lib

deny contains finding if {
	some fn in lib.functions
	secrets := [v | some v in object.get(fn, "environment", []); v.looks_secret == true]
	count(secrets) > 0
	finding := {
		"message": sprintf("%s keeps %s in its environment variables: %s", [
			fn.address,
			plural(count(secrets)),
			concat("; ", sort([describe(v) | some v in secrets])),
		]),
		"address": fn.address,
	}
}

plural(1) := "a secret"

plural(n) := sprintf("%d secrets", [n]) if n > 1

describe(v) := sprintf("%s (%s)", [v.key, v.secret_reason]) if {
	object.get(v, "secret_reason", "") != ""
} else := v.key
