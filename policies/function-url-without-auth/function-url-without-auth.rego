# METADATA
# scope: package
# title: Function URL without authentication
# description: >-
#   A function URL has AuthType NONE: Lambda authenticates nobody, so once the
#   resource-based policy grants "*" the function is an open HTTPS endpoint
#   on the internet, and anything it can do (the access flows of its
#   execution role) is done on behalf of anonymous callers. The finding says
#   whether the simulated public-url reach shows the URL callable right now,
#   or which step currently stops it.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
#     description: Control access to Lambda function URLs (AuthType NONE and AWS_IAM)
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html
#     description: Creating and managing Lambda function URLs
# custom:
#   id: LC005
#   short_code: function-url-without-auth
#   severity: high
#   remediation: >-
#     Set authorization_type = "AWS_IAM" on the aws_lambda_function_url and
#     grant lambda:InvokeFunctionUrl and lambda:InvokeFunction to the callers
#     that need it, or put the function behind API Gateway or CloudFront with
#     an authorizer. If the endpoint must be public, make the function
#     authenticate requests itself and keep its execution role to the
#     minimum.
package lambdacheck.rules.function_url_without_auth

import data.lambdacheck.lib

deny contains finding if {
	some fn in lib.functions
	some url in fn.urls
	url.auth_type == "NONE"
	q := object.get(url, "qualifier", "")
	ev := evidence(fn, q)
	finding := {
		"message": sprintf("function URL %s of %s has AuthType NONE: %s", [
			url.address,
			lib.qualified_label(fn.address, q),
			ev.text,
		]),
		"address": url.address,
		"flows": ev.flows,
	}
}

# Reachable now: the simulator's public-url reach flow.
evidence(fn, q) := {"text": text, "flows": ids} if {
	reach := [fl |
		some fl in lib.reach_flows
		fl.reach == "public-url"
		fl.target.address == fn.address
		lib.qualifier(fl.target.arn) == q
		fl.decision != "denied"
	]
	count(reach) > 0
	ids := sort([fl.id | some fl in reach])
	text := reach_text(reach)
} else := {"text": text, "flows": [fl.id]} if {
	# Not reachable now: name the step of the URL's invoke flow that stops it.
	some fl in lib.invoke_flows
	fl.trigger.type == "function_url"
	fl.trigger.function.address == fn.address
	object.get(fl.trigger.function, "qualifier", "") == q
	fl.decision == "denied"
	step := [s | some s in fl.steps; s.decision == "denied"][0]
	text := sprintf("no public caller gets through today (step %q is denied: %s), but Lambda authenticates nobody, so one grant to \"*\" opens it to the internet", [step.what, step.reason])
} else := {"text": "Lambda authenticates nobody on this URL; whether anyone can call it is decided only by the resource-based policy", "flows": []}

# reach_text: what the public-url reach flows say, the most open first.
reach_text(reach) := "anyone on the internet can call it without credentials (public-url reach allowed)" if {
	some fl in reach
	fl.decision == "allowed"
} else := sprintf("anyone on the internet can call it without credentials, provided %s", [concat(" and ", conds)]) if {
	some fl in reach
	fl.decision == "conditional"
	conds := lib.conditions(fl)
	count(conds) > 0
} else := sprintf("anyone on the internet may be able to call it without credentials: %s", [why]) if {
	some fl in reach
	why := [s.reason | some s in fl.steps; s.decision != "allowed"][0]
} else := sprintf("anyone on the internet may be able to call it without credentials (public-url reach %s)", [reach[0].decision])
