# METADATA
# scope: package
# title: Broken trigger
# description: >-
#   An enabled trigger (S3 notification, SNS subscription, EventBridge rule or
#   schedule, Scheduler schedule, API route, function URL, event source
#   mapping …) is deployed, but the simulated invocation is denied: every
#   event it sends is dropped or retried until it expires. The finding names
#   the step that fails (the function's resource-based policy for the
#   service principal on the exact qualifier, the invoker role's trust or
#   permissions, or Lambda's right to assume the execution role).
#   Event source mappings whose only failure is the execution role's read
#   permissions are reported by missing-poll-permissions instead.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
#     description: Lambda resource-based policies (who may invoke a function)
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/lambda-services.html
#     description: Invoking Lambda with events from other AWS services
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html
#     description: Aliases in event sources and permissions policies (policies are per qualifier)
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
#     description: The execution role and its trust policy
# custom:
#   id: LC001
#   short_code: broken-trigger
#   severity: high
#   remediation: >-
#     Fix the failing step named in the message. For a push source, add an
#     aws_lambda_permission for the source's service principal on the same
#     qualifier the trigger targets, with source_arn set to the real source
#     (and source_account for S3 and SES). For a role-based invoker
#     (Scheduler, Step Functions, API Gateway credentials), let the role trust
#     the invoking service and allow lambda:InvokeFunction on the target. If
#     Lambda cannot assume the execution role, its trust policy must admit
#     lambda.amazonaws.com.
package lambdacheck.rules.broken_trigger

import data.lambdacheck.lib

# One finding per enabled trigger whose invocation flow is denied.
deny contains finding if {
	some fl in lib.invoke_flows
	fl.decision == "denied"
	fl.trigger.enabled == true
	not only_poll_reads_denied(fl)
	step := failing_steps(fl)[0]
	finding := {
		"message": sprintf("%s trigger %s cannot invoke %s: step %q is denied (%s)", [
			fl.trigger.type,
			trigger_name(fl.trigger),
			function_name(fl.trigger.function),
			step.what,
			step.reason,
		]),
		"address": trigger_address(fl.trigger),
		"flows": [fl.id],
	}
}

denied_steps(fl) := [s | some s in fl.steps; s.decision == "denied"]

# failing_steps are the denied steps this rule names: for a poll trigger,
# the ones that are not the execution role's reads of the source.
failing_steps(fl) := [s | some s in denied_steps(fl); not execution_role_read(s)] if {
	fl.trigger.kind == "poll"
} else := denied_steps(fl)

# A poll trigger whose denied steps are all the execution role's reads of
# the source is missing-poll-permissions' finding, not this rule's.
only_poll_reads_denied(fl) if {
	fl.trigger.kind == "poll"
	every s in denied_steps(fl) {
		execution_role_read(s)
	}
}

execution_role_read(s) if {
	s.action != "sts:AssumeRole"
	not endswith(object.get(s, "principal", ""), ".amazonaws.com")
}

trigger_address(t) := t.address if {
	object.get(t, "address", "") != ""
} else := lib.ref_name(t.function)

trigger_name(t) := lib.ref_name(t.source) if {
	lib.ref_name(t.source) != ""
} else := trigger_address(t)

function_name(f) := lib.qualified_label(lib.ref_name(f), object.get(f, "qualifier", ""))
