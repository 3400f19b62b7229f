# METADATA
# title: Trigger cannot invoke its function
# description: An enabled trigger whose invocation flow is denied never delivers events.
# custom:
#   id: TST002
#   short_code: trigger-denied
#   severity: critical
#   remediation: Grant the source's principal lambda:InvokeFunction on the qualifier it targets.
package lambdacheck.rules.trigger_denied

deny contains f if {
	some fl in input.flows
	fl.kind == "invoke"
	fl.trigger.enabled
	fl.decision == "denied"
	f := {
		"message": sprintf("%s cannot invoke %s", [fl.trigger.address, fl.trigger.function.address]),
		"address": fl.trigger.address,
		"flows": [fl.id],
	}
}
