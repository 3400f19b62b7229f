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

import data.lambdacheck.lib

# loops are the non-denied chains that close a cycle. A loop is identified
# by its closing hop (the last write and the invoke it causes), so chains
# that enter the same cycle from different entries give one finding.
loops := [fl |
	some fl in lib.chain_flows
	fl.loop == true
	fl.decision != "denied"
	count(fl.path) >= 1
]

loop_keys contains closing_key(fl.path) if some fl in loops

closing_key(path) := concat(" => ", array.slice(path, count(path) - 2, count(path))) if {
	count(path) >= 2
} else := path[0]

deny contains finding if {
	some key, fl in shortest
	target := looping_function(fl.path)
	cycle := cycle_ids(fl.path, target)
	not logging_only(cycle)
	finding := {
		"message": sprintf("%s can re-trigger itself: %s%s", [
			target,
			path_text(fl, cycle, target),
			detection_note(target, cycle),
		]),
		"address": target,
		"flows": [fl.id],
	}
}

# shortest: of the chains closing the same cycle, the one with the shortest
# path (then the smallest id), so the finding is stable. One sort of all
# loops, then the first of each key: linear after the sort, where a search
# per key would be quadratic.
ranked := sort([[closing_key(c.path), count(c.path), c.id, i] | some i, c in loops])

shortest := {r[0]: loops[r[3]] |
	some j, r in ranked
	first_of_key(j)
}

first_of_key(0)

first_of_key(j) if {
	j > 0
	ranked[j - 1][0] != ranked[j][0]
}

# looping_function: the function the last hop invokes — through a trigger,
# or directly (lambda:InvokeFunction: the chain ends with the access flow).
looping_function(path) := lib.invoke_by_id[last].trigger.function.address if {
	last := path[count(path) - 1]
	lib.invoke_by_id[last]
} else := addr if {
	f := lib.access_by_id[path[count(path) - 1]]
	addr := invoked_function(f.resource)
}

invoked_function(r) := r.address if {
	object.get(r, "address", "") != ""
} else := fns[0] if {
	fns := [fn.address | some fn in lib.functions; fn.arn == r.arn]
	count(fns) > 0
} else := r.arn

# cycle_ids: the path from the looping function's first write on: after
# the first hop (other than the closing one) that invokes it, or the whole
# path when it starts with that function's own write.
cycle_ids(path, target) := array.slice(path, start, count(path)) if {
	starts := [next |
		some i, id in path
		i < count(path) - 1
		entered_function(id) == target
		next := i + 1
	]
	start := min(starts)
} else := path

entered_function(id) := lib.invoke_by_id[id].trigger.function.address

entered_function(id) := lib.reach_by_id[id].target.address

# logging_only: a hop is only the function's logging grant (logs:* on a
# resource outside the inventory) — every execution role has it, and it is
# not a way back to the trigger.
logging_only(cycle) if {
	some id in cycle
	f := lib.outside_by_id[id]
	count(f.actions) > 0
	every a in f.actions {
		startswith(lower(a), "logs:")
	}
}

# path_text: the simulator's title of the chain names the triggering action
# of every hop; without one, the hops are rebuilt from the flows.
path_text(fl, cycle, target) := fl.title if {
	object.get(fl, "title", "") != ""
} else := concat(" → ", array.concat([target], [hop(id) | some id in cycle])) if {
	count(cycle) > 0
} else := "a chain of allowed hops"

hop(id) := sprintf("writes %s (%s)", [lib.ref_name(f.resource), concat(", ", trim_actions(f.actions))]) if {
	f := lib.access_by_id[id]
} else := sprintf("%s trigger %s invokes %s", [f.trigger.type, lib.ref_name(f.trigger.source), f.trigger.function.address]) if {
	f := lib.invoke_by_id[id]
} else := id

trim_actions(actions) := array.concat(array.slice(actions, 0, 3), ["…"]) if {
	count(actions) > 3
} else := actions

detection_note(target, cycle) := "; its recursion config sets recursive_loop = \"Allow\", so Lambda's loop detection will not stop it" if {
	lib.function_by_address[target].recursive_loop == "Allow"
} else := "; Lambda's loop detection does not cover this path (only SQS, SNS, S3 and direct invokes)" if {
	some id in cycle
	type := lib.invoke_by_id[id].trigger.type
	not type in {"sqs", "sns", "s3", "lambda"}
} else := ""
