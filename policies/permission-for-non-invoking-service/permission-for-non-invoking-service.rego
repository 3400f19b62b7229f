# METADATA
# scope: package
# title: Permission for a service that does not invoke Lambda
# description: >-
#   A permission or resource-policy statement lets the principal of a real
#   AWS service invoke the function, but that service never calls Lambda
#   through a resource-based policy: SQS, Kinesis, DynamoDB Streams and
#   Amazon MQ are polled by an event source mapping with the function's
#   execution role, CloudFront runs Lambda@Edge through replication. The
#   grant lets nothing in; it is dead configuration that suggests a
#   mistaken model of how the trigger works.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html
#     description: Lambda event source mappings (polled with the execution role)
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/lambda-services.html
#     description: Invoking Lambda with events from other AWS services
# custom:
#   id: LC019
#   short_code: permission-for-non-invoking-service
#   severity: low
#   remediation: >-
#     Remove the permission. A queue, stream or broker reaches the function
#     through an aws_lambda_event_source_mapping, which needs read access in
#     the execution role instead; Lambda@Edge needs the execution role to
#     trust edgelambda.amazonaws.com.
package lambdacheck.rules.permission_for_non_invoking_service

import data.lambdacheck.lib

# The simulator marks grants to a real AWS service principal that does not
# invoke Lambda with aws_service on the "unknown-service" reach flow.
deny contains finding if {
	some fl in lib.reach_flows
	fl.reach == "unknown-service"
	object.get(fl, "aws_service", false)
	grant := object.get(fl, "grant", {})
	finding := {
		"message": sprintf("%s lets %s invoke %s, but that service does not invoke Lambda functions through resource-based policies: the grant lets nothing in", [
			grant_name(grant, fl),
			fl.principal,
			lib.ref_name(fl.target),
		]),
		"address": object.get(grant, "address", lib.ref_name(fl.target)),
		"flows": [fl.id],
	}
}

grant_name(grant, fl) := grant.address if {
	object.get(grant, "address", "") != ""
} else := sprintf("the resource-based policy of %s", [lib.ref_name(fl.target)])
