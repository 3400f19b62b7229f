package lambdacheck.rules.secret_in_environment

# From `inventory fixtures/risky-roles --format json` (legacy_etl).

legacy_etl := {
	"address": "aws_lambda_function.legacy_etl",
	"file": "legacy.tf",
	"line": 16,
	"name": "acme-risky-legacy-etl",
	"runtime": "python3.8",
	"environment": [
		{"key": "API_TOKEN", "looks_secret": true, "secret_reason": "the key names a secret and the value is a literal"},
		{"key": "DB_HOST"},
		{"key": "DB_PASSWORD", "looks_secret": true, "secret_reason": "the key names a secret and the value is a literal"},
		{"key": "DB_USER"},
		{"key": "LOG_LEVEL"},
	],
}

test_literal_secrets_are_named_by_key if {
	found := deny with input as {"inventory": {"functions": [legacy_etl]}}
	count(found) == 1
	some f in found
	f.address == "aws_lambda_function.legacy_etl"
	f.message == "aws_lambda_function.legacy_etl keeps 2 secrets in its environment variables: API_TOKEN (the key names a secret and the value is a literal); DB_PASSWORD (the key names a secret and the value is a literal)"
}

test_single_secret_without_reason if {
	fn := {"address": "aws_lambda_function.a", "environment": [{"key": "STRIPE_KEY", "looks_secret": true}]}
	found := deny with input as {"inventory": {"functions": [fn]}}
	some f in found
	f.message == "aws_lambda_function.a keeps a secret in its environment variables: STRIPE_KEY"
}

test_plain_configuration_and_secret_references_are_not_reported if {
	fn := {"address": "aws_lambda_function.b", "environment": [{"key": "DB_HOST"}, {"key": "DB_PASSWORD_SECRET_ARN"}]}
	no_env := {"address": "aws_lambda_function.c"}
	count(deny) == 0 with input as {"inventory": {"functions": [fn, no_env]}}
}

test_external_functions_are_not_reported if {
	ext := object.union(legacy_etl, {"external": true})
	count(deny) == 0 with input as {"inventory": {"functions": [ext]}}
}
