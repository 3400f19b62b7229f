# METADATA
# title: Deprecated runtime
# description: The function's runtime is past its deprecation date.
# custom:
#   id: TST003
#   short_code: old-runtime
#   severity: low
#   remediation: Move to a supported runtime.
package lambdacheck.rules.old_runtime

deny contains f if {
	some fn in input.inventory.functions
	some rt in input.runtimes
	rt.id == fn.runtime
	rt.deprecated != null
	rt.deprecated <= input.settings.today
	f := {
		"message": sprintf("%s runs %s, deprecated since %s", [fn.address, fn.runtime, rt.deprecated]),
		"address": fn.address,
		"file": "explicit.tf",
		"line": 7,
	}
}
