# METADATA
# title: Function URL without authentication
# description: A function URL with auth type NONE lets anyone on the internet invoke the function.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
# custom:
#   id: TST001
#   short_code: url-without-auth
#   severity: high
#   remediation: Set authorization_type = "AWS_IAM" on the aws_lambda_function_url.
package lambdacheck.rules.url_without_auth

import data.lambdacheck.lib

deny contains f if {
	some fn in input.inventory.functions
	some u in fn.urls
	u.auth_type == "NONE"
	f := {
		"message": sprintf("function URL of %s has auth type NONE", [lib.function_label(fn)]),
		"address": u.address,
	}
}
