# METADATA
# scope: package
# title: Deprecated runtime
# description: >-
#   The function runs on a Lambda runtime whose deprecation date (from the
#   Lambda runtime lifecycle table bundled with lambdacheck) is on or before
#   today: it no longer receives security patches or AWS support, and after
#   the published dates Lambda blocks creating and then updating functions
#   on it — a later emergency fix cannot be deployed without a runtime
#   upgrade. "today" is settings.today (the run date unless set).
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
#     description: Lambda runtimes — supported and deprecated runtimes, with dates
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html
#     description: Runtime version updates and the runtime deprecation policy
# custom:
#   id: LC016
#   short_code: deprecated-runtime
#   severity: medium
#   remediation: >-
#     Move the function to a supported runtime of the same language (the
#     message names the newest one), test it, and deploy before the
#     update-block date. Container-image functions are not affected by these
#     dates; their base image needs the same upgrade.
package lambdacheck.rules.deprecated_runtime

import data.lambdacheck.lib

runtimes := {r.id: r | some r in object.get(input, "runtimes", [])}

today := lib.today

deny contains finding if {
	some fn in lib.functions
	r := runtimes[fn.runtime]
	deprecated := object.get(r, "deprecated", null)
	is_string(deprecated)
	deprecated <= today
	finding := {
		"message": sprintf("%s runs %s (%s), deprecated since %s: it no longer gets security patches; %s%s", [
			fn.address,
			r.id,
			r.name,
			deprecated,
			block_text(r),
			upgrade_text(r),
		]),
		"address": fn.address,
	}
}

# block_text gives the published block dates in words that do not depend
# on today, so the message (and a baseline's fingerprint of it) is stable.
block_text(r) := sprintf("Lambda blocks creating functions on it from %s and updating them from %s", [r.blockCreate, r.blockUpdate]) if {
	is_string(r.blockCreate)
	is_string(r.blockUpdate)
} else := "AWS has published no block dates yet"

# upgrade_text names the runtime of the same family that the table keeps
# supported longest (chosen without today, so the message stays stable).
upgrade_text(r) := sprintf("; upgrade to %s (supported until %s)", [best[1], best[0]]) if {
	candidates := [[d, c.id] |
		some c in object.get(input, "runtimes", [])
		c.family == r.family
		not c.containerOnly
		d := object.get(c, "deprecated", null)
		is_string(d)
		d > r.deprecated
	]
	count(candidates) > 0
	best := max(candidates)
} else := ""
