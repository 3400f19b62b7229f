# A helper package: no deny, no metadata needed.
package lambdacheck.lib

function_label(f) := sprintf("%s (%s)", [f.name, f.address])
