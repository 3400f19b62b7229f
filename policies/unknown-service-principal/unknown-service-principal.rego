# METADATA
# scope: package
# title: Grant to an unknown service principal
# description: >-
#   A permission or resource-policy statement lets a service principal that
#   AWS does not document as invoking Lambda functions invoke the function,
#   most often a misspelling such as alexa-appkit.amazonaws.com for
#   alexa-appkit.amazon.com or pinpoint.amazonaws.com for the regional
#   Pinpoint principal. No service signs as that principal, so the grant
#   lets nothing in and the service it was meant for stays locked out: the
#   trigger fails at run time with no error at deploy time.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/lambda-services.html
#     description: Invoking Lambda with events from other AWS services
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html
#     description: Granting function access to AWS services
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services
#     description: AWS service principals
# custom:
#   id: LC018
#   short_code: unknown-service-principal
#   severity: high
#   remediation: >-
#     Name the service principal exactly as the invoking service documents
#     it (the finding suggests the closest known one), e.g.
#     alexa-appkit.amazon.com for Alexa skills or
#     pinpoint.REGION.amazonaws.com for Pinpoint; remove the permission if
#     no service should invoke the function.
package lambdacheck.rules.unknown_service_principal

import data.lambdacheck.lib

# The simulator turns every grant to a service principal it does not know
# as a Lambda invoker into an "unknown-service" reach flow, with the
# closest known principal as the suggestion and the granting permission or
# policy as the grant.
deny contains finding if {
	some fl in lib.reach_flows
	fl.reach == "unknown-service"
	# A real AWS service that never invokes Lambda is LC019's, at low.
	not object.get(fl, "aws_service", false)
	grant := object.get(fl, "grant", {})
	finding := {
		"message": sprintf("%s lets %s invoke %s%s, but no AWS service invokes Lambda as %s%s", [
			grant_name(grant, fl),
			fl.principal,
			lib.ref_name(fl.target),
			qualifier_text(fl.target.arn),
			fl.principal,
			suggestion_text(fl),
		]),
		"address": object.get(grant, "address", lib.ref_name(fl.target)),
		"flows": [fl.id],
	}
}

grant_name(grant, fl) := grant.address if {
	object.get(grant, "address", "") != ""
} else := sprintf("the resource-based policy of %s", [lib.ref_name(fl.target)])

suggestion_text(fl) := sprintf(": did you mean %s?", [fl.suggestion]) if {
	object.get(fl, "suggestion", "") != ""
} else := " (not a principal AWS documents for invoking Lambda)"

qualifier_text(arn) := sprintf(" (qualifier %s)", [lib.qualifier(arn)]) if {
	lib.qualifier(arn) != ""
} else := ""
