package lambdacheck.rules.runtime_deprecation_soon

runtime_table := [
	{"id": "dotnet10", "name": ".NET 10", "family": "dotnet", "deprecated": "2028-11-14", "blockCreate": "2028-12-14", "blockUpdate": "2029-01-15"},
	{"id": "dotnet8", "name": ".NET 8", "family": "dotnet", "deprecated": "2026-11-10", "blockCreate": "2027-02-01", "blockUpdate": "2027-03-03"},
	{"id": "python3.10", "name": "Python 3.10", "family": "python", "deprecated": "2026-10-31", "blockCreate": "2027-02-01", "blockUpdate": "2027-03-03"},
	{"id": "python3.13", "name": "Python 3.13", "family": "python", "deprecated": "2029-06-30", "blockCreate": "2029-07-31", "blockUpdate": "2029-08-31"},
]

fn(runtime) := {"address": "aws_lambda_function.worker", "runtime": runtime}

run(fns, today) := found if {
	found := deny with input as {"inventory": {"functions": fns}, "runtimes": runtime_table, "settings": {"today": today}}
}

test_deprecation_within_ninety_days_is_reported if {
	found := run([fn("dotnet8")], "2026-09-01")
	count(found) == 1
	some f in found
	f.address == "aws_lambda_function.worker"
	f.message == "aws_lambda_function.worker runs dotnet8 (.NET 8), which is deprecated on 2026-11-10, within 90 days; plan the move to dotnet10 (supported until 2028-11-14)"
}

test_message_does_not_change_with_today if {
	run([fn("dotnet8")], "2026-09-01") == run([fn("dotnet8")], "2026-11-01")
}

test_ninetieth_day_is_inside_the_window if {
	count(run([fn("python3.10")], "2026-08-02")) == 1
}

test_beyond_the_window_is_not_reported if {
	count(run([fn("python3.10")], "2026-08-01")) == 0
}

test_already_deprecated_is_deprecated_runtime_not_this_rule if {
	count(run([fn("python3.10"), fn("dotnet8")], "2026-11-25")) == 0
}

test_long_supported_runtime_is_not_reported if {
	count(run([fn("python3.13")], "2026-11-25")) == 0
}
