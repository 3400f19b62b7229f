# METADATA
# scope: package
# title: Recursive invocation loop
# description: >-
#   A function can re-trigger itself, directly or through other functions:
#   it may write to a source (S3 bucket, SNS topic, SQS queue, stream, table,
#   event bus, another function) whose trigger invokes it again, and every
#   hop is allowed. One event can then run the loop until concurrency or the
#   bill runs out. Lambda's recursive loop detection stops loops through
#   SQS, SNS, S3 and direct invokes after about 16 rounds, but only with
#   supported SDKs, not through streams, tables, EventBridge or logs, and not
#   at all when the function's recursion config is "Allow". Loops whose only
#   write is the function's own logging grant (logs:PutLogEvents on "*") are
#   not reported.
# related_resources:
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
#     description: Lambda recursive loop detection
#   - ref: https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionRecursionConfig.html
#     description: PutFunctionRecursionConfig (RecursiveLoop Allow / Terminate)
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
#     description: S3 event notification prefix and suffix filters
# custom:
#   id: LC013
#   short_code: recursive-loop
#   severity: high
#   remediation: >-
#     Break the cycle: write to a different bucket, queue or topic than the
#     one that triggers the function, or filter the trigger so the function's
#     own output does not match (S3 prefix/suffix, SNS filter policy, event
#     source mapping filter criteria). Keep recursive loop detection at
#     "Terminate" (remove aws_lambda_function_recursion_config with
#     recursive_loop = "Allow") and set reserved concurrency as a brake.
package lambdacheck.rules.recursive_loop

flows_by_id[fl.id] := fl if some fl in input.flows

# A loop is identified by its closing hop (the last write and the invoke it
# causes), so chains that enter the same cycle from different entries give
# one finding.
loop_keys contains key if {
	some fl in input.flows
	fl.kind == "chain"
	fl.loop == true
	fl.decision != "denied"
	n := count(fl.path)
	n >= 1
	key := closing_key(fl.path)
}

closing_key(path) := concat(" => ", array.slice(path, count(path) - 2, count(path))) if count(path) >= 2

else := path[0]

deny contains finding if {
	some key in loop_keys
	fl := shortest(key)
	target := looping_function(fl.path)
	cycle := cycle_flows(fl.path, target)
	not logging_only(cycle)
	finding := {
		"message": sprintf("%s can re-trigger itself: %s%s", [
			target,
			path_text(fl),
			detection_note(target, cycle),
		]),
		"address": target,
		"flows": [fl.id],
	}
}

# shortest: of the chains closing the same cycle, the one with the shortest
# path (then the smallest id), so the finding is stable.
shortest(key) := fl if {
	candidates := [[count(c.path), c.id] |
		some c in input.flows
		c.kind == "chain"
		c.loop == true
		c.decision != "denied"
		closing_key(c.path) == key
	]
	best := sort(candidates)[0]
	fl := flows_by_id[best[1]]
}

# looping_function: the function the last hop invokes.
looping_function(path) := f.trigger.function.address if {
	f := flows_by_id[path[count(path) - 1]]
	f.kind == "invoke"
} else := f.resource.address if {
	# a direct lambda:InvokeFunction hop ends with the access flow
	f := flows_by_id[path[count(path) - 1]]
	f.kind == "access"
	object.get(f.resource, "address", "") != ""
} else := flows_by_id[path[count(path) - 1]].function.address

# cycle_flows: the flows of the path from the looping function's first
# write onwards.
cycle_flows(path, target) := array.slice(path_flows, start, count(path_flows)) if {
	path_flows := [flows_by_id[id] | some id in path]
	starts := [i |
		some i, f in path_flows
		f.kind == "access"
		f.function.address == target
	]
	start := min(starts)
} else := [flows_by_id[id] | some id in path]

logging_only(cycle) if {
	some f in cycle
	f.kind == "access"
	f.outside == true
	count(f.actions) > 0
	every a in f.actions {
		startswith(lower(a), "logs:")
	}
}

# path_text: the simulator's title of the chain names the triggering action
# of every hop; without one, the hops are rebuilt from the flows.
path_text(fl) := fl.title if {
	object.get(fl, "title", "") != ""
} else := cycle_text(fl_cycle(fl), looping_function(fl.path))

fl_cycle(fl) := cycle_flows(fl.path, looping_function(fl.path))

cycle_text(cycle, target) := concat(" → ", array.concat([target], [hop(f) | some f in cycle])) if count(cycle) > 0

else := "a chain of allowed hops"

hop(f) := sprintf("writes %s (%s)", [ref_name(f.resource), concat(", ", trim_actions(f.actions))]) if {
	f.kind == "access"
} else := sprintf("%s trigger %s invokes %s", [f.trigger.type, ref_name(f.trigger.source), f.trigger.function.address]) if {
	f.kind == "invoke"
} else := f.id

trim_actions(actions) := array.concat(array.slice(actions, 0, 3), ["…"]) if count(actions) > 3

else := actions

detection_note(target, cycle) := "; its recursion config sets recursive_loop = \"Allow\", so Lambda's loop detection will not stop it" if {
	some fn in object.get(input, ["inventory", "functions"], [])
	fn.address == target
	fn.recursive_loop == "Allow"
} else := "; Lambda's loop detection does not cover this path (only SQS, SNS, S3 and direct invokes)" if {
	some f in cycle
	f.kind == "invoke"
	not f.trigger.type in {"sqs", "sns", "s3", "lambda"}
} else := ""

ref_name(r) := r.address if {
	object.get(r, "address", "") != ""
} else := object.get(r, "arn", "")
