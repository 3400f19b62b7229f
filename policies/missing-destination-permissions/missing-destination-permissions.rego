# METADATA
# scope: package
# title: Missing destination or dead-letter permissions
# description: >-
#   A function's dead-letter queue/topic, asynchronous on-success or
#   on-failure destination, or an event source mapping's on-failure
#   destination is configured, but the execution role may not deliver to it
#   (sqs:SendMessage, sns:Publish, lambda:InvokeFunction, events:PutEvents,
#   s3:PutObject, or kms:GenerateDataKey/Decrypt on the target's customer
#   managed key). Lambda then drops the records the destination exists to
#   keep: failed events vanish silently.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
#     description: Capturing records of asynchronous invocations (destinations and dead-letter queues)
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html
#     description: Event source mappings and their on-failure destinations
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
#     description: Lambda execution role
# custom:
#   id: LC003
#   short_code: missing-destination-permissions
#   severity: medium
#   remediation: >-
#     Allow the execution role the delivery action on the exact target:
#     sqs:SendMessage on a queue, sns:Publish on a topic,
#     lambda:InvokeFunction on a function, events:PutEvents on a bus,
#     s3:PutObject on a bucket; add kms:GenerateDataKey and kms:Decrypt on the
#     target's customer managed key when it is encrypted. If the target has a
#     resource policy with a Deny, exempt the role.
package lambdacheck.rules.missing_destination_permissions

import data.lambdacheck.lib

purposes := {"dead-letter", "destination-on-success", "destination-on-failure", "event-source-on-failure"}

deny contains finding if {
	some fl in lib.destination_flows
	fl.decision == "denied"
	purposes[fl.purpose]
	denied := [sprintf("%s on %s", [s.action, s.resource]) |
		some s in fl.steps
		s.decision == "denied"
		object.get(s, "action", "") != ""
	]
	finding := {
		"message": sprintf("%s of %s is %s, but the execution role is denied %s: %s", [
			label[fl.purpose],
			lib.ref_name(fl.function),
			lib.ref_name(fl.resource),
			what(denied),
			first_reason(fl),
		]),
		"address": config_address(fl),
		"flows": [fl.id],
	}
}

label := {
	"dead-letter": "the dead-letter target",
	"destination-on-success": "the asynchronous on-success destination",
	"destination-on-failure": "the asynchronous on-failure destination",
	"event-source-on-failure": "an event source mapping's on-failure destination",
}

what(denied) := concat(", ", denied) if count(denied) > 0

else := "delivery"

first_reason(fl) := [s.reason | some s in fl.steps; s.decision == "denied"][0]

# config_address points at the block that configures the destination, so a
# waiver sits next to it: the function (dead_letter_config), its
# aws_lambda_function_event_invoke_config, or the event source mapping.
config_address(fl) := addr if {
	fl.purpose in {"destination-on-success", "destination-on-failure"}
	addrs := sort([ac.address |
		some ac in lib.function_by_address[fl.function.address].async_configs
		fl.resource.arn in {object.get(ac, "on_success", ""), object.get(ac, "on_failure", "")}
	])
	addr := addrs[0]
} else := addr if {
	fl.purpose == "event-source-on-failure"
	addrs := sort([t.address |
		some t in lib.triggers
		object.get(t, "function_address", "") == fl.function.address
		object.get(t, "on_failure", "") == fl.resource.arn
	])
	addr := addrs[0]
} else := lib.ref_name(fl.function)
