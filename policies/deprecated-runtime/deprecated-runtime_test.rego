package lambdacheck.rules.deprecated_runtime

# Runtime entries copied from the bundled lambda-runtimes.json.

runtime_table := [
	{"id": "python3.14", "name": "Python 3.14", "family": "python", "os": "Amazon Linux 2023", "architectures": ["x86_64", "arm64"], "deprecated": "2029-06-30", "blockCreate": "2029-07-31", "blockUpdate": "2029-08-31"},
	{"id": "python3.13", "name": "Python 3.13", "family": "python", "os": "Amazon Linux 2023", "architectures": ["x86_64", "arm64"], "deprecated": "2029-06-30", "blockCreate": "2029-07-31", "blockUpdate": "2029-08-31"},
	{"id": "python3.10", "name": "Python 3.10", "family": "python", "os": "Amazon Linux 2", "architectures": ["x86_64", "arm64"], "deprecated": "2026-10-31", "blockCreate": "2027-02-01", "blockUpdate": "2027-03-03"},
	{"id": "python3.8", "name": "Python 3.8", "family": "python", "os": "Amazon Linux 2", "architectures": ["x86_64", "arm64"], "deprecated": "2024-10-14", "blockCreate": "2027-02-01", "blockUpdate": "2027-03-03"},
	{"id": "python3.6", "name": "Python 3.6", "family": "python", "os": "Amazon Linux", "architectures": ["x86_64"], "deprecated": "2022-07-18", "blockCreate": "2022-07-18", "blockUpdate": "2022-08-29"},
	{"id": "nodejs14.x", "name": "Node.js 14", "family": "nodejs", "os": "Amazon Linux 2", "architectures": ["x86_64", "arm64"], "deprecated": "2023-12-04", "blockCreate": "2024-01-09", "blockUpdate": "2027-03-03"},
	{"id": "nodejs22.x", "name": "Node.js 22", "family": "nodejs", "os": "Amazon Linux 2023", "architectures": ["x86_64", "arm64"], "deprecated": "2027-04-30", "blockCreate": "2027-06-01", "blockUpdate": "2027-07-01"},
	{"id": "dotnet9", "name": ".NET 9 (container only)", "family": "dotnet", "os": "Amazon Linux 2023", "architectures": ["x86_64", "arm64"], "deprecated": "2026-11-10", "blockCreate": null, "blockUpdate": null, "containerOnly": true},
]

fn(runtime) := {"address": "aws_lambda_function.legacy_etl", "name": "acme-risky-legacy-etl", "runtime": runtime}

run(fns, today) := found if {
	found := deny with input as {"inventory": {"functions": fns}, "runtimes": runtime_table, "settings": {"today": today}}
}

test_python38_deprecated_before_today_with_future_blocks if {
	found := run([fn("python3.8")], "2026-11-25")
	count(found) == 1
	some f in found
	f.address == "aws_lambda_function.legacy_etl"
	f.message == "aws_lambda_function.legacy_etl runs python3.8 (Python 3.8), deprecated since 2024-10-14: it no longer gets security patches; Lambda blocks creating functions on it from 2027-02-01 and updating them from 2027-03-03; upgrade to python3.14 (supported until 2029-06-30)"
}

test_message_does_not_change_with_today if {
	# A baseline fingerprints the message of an inventory finding: it must
	# read the same before and after the block dates.
	early := run([fn("nodejs14.x")], "2024-01-01")
	late := run([fn("nodejs14.x")], "2027-06-01")
	count(early) == 1
	early == late
	some f in late
	contains(f.message, "Lambda blocks creating functions on it from 2024-01-09 and updating them from 2027-03-03; upgrade to nodejs22.x")
}

test_deprecated_on_today_counts if {
	count(run([fn("python3.10")], "2026-10-31")) == 1
}

test_supported_runtime_is_not_reported if {
	count(run([fn("python3.13"), fn("python3.10")], "2026-10-30")) == 0
}

test_container_images_unknown_runtimes_and_external_functions_are_not_reported if {
	image := {"address": "aws_lambda_function.image", "package_type": "Image"}
	custom := fn("python9.99")
	ext := object.union(fn("python3.8"), {"external": true})
	count(run([image, custom, ext], "2026-11-25")) == 0
}

test_no_published_block_dates if {
	found := run([fn("dotnet9")], "2026-11-25")
	some f in found
	contains(f.message, "AWS has published no block dates yet")
	not contains(f.message, "upgrade to")
}
