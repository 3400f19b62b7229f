# METADATA
# scope: package
# title: Runtime deprecated within 90 days
# description: >-
#   The function's runtime is still supported today but reaches its
#   deprecation date within the next 90 days (settings.today plus 90 days),
#   after which it stops receiving security patches (see deprecated-runtime).
#   An early warning, so the upgrade is planned rather than rushed.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
#     description: Lambda runtimes — deprecation schedule
# custom:
#   id: LC017
#   short_code: runtime-deprecation-soon
#   severity: low
#   remediation: >-
#     Schedule the move to a newer runtime of the same language before the
#     deprecation date named in the message.
package lambdacheck.rules.runtime_deprecation_soon

import data.lambdacheck.lib

window_days := 90

runtimes := {r.id: r | some r in object.get(input, "runtimes", [])}

today := lib.today

horizon := time.format([time.add_date(time.parse_ns("2006-01-02", today), 0, 0, window_days), "UTC", "2006-01-02"])

deny contains finding if {
	some fn in lib.functions
	r := runtimes[fn.runtime]
	deprecated := object.get(r, "deprecated", null)
	is_string(deprecated)
	deprecated > today
	deprecated <= horizon
	finding := {
		"message": sprintf("%s runs %s (%s), which is deprecated on %s, within %d days%s", [
			fn.address,
			r.id,
			r.name,
			deprecated,
			window_days,
			upgrade_text(r),
		]),
		"address": fn.address,
	}
}

deprecated_of(r) := r.deprecated

# upgrade_text names the runtime of the same family supported longest; the
# message depends on no date but the table's, so baselines keep matching.
upgrade_text(r) := sprintf("; plan the move to %s (supported until %s)", [best[1], best[0]]) if {
	candidates := [[d, c.id] |
		some c in object.get(input, "runtimes", [])
		c.family == r.family
		not c.containerOnly
		d := object.get(c, "deprecated", null)
		is_string(d)
		d > deprecated_of(r)
	]
	count(candidates) > 0
	best := max(candidates)
} else := ""
