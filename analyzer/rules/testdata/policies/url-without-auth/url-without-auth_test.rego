package lambdacheck.rules.url_without_auth_test

import data.lambdacheck.rules.url_without_auth

test_none_flagged if {
	count(url_without_auth.deny) == 1 with input as {"inventory": {"functions": [{"name": "f", "address": "aws_lambda_function.f", "urls": [{"address": "aws_lambda_function_url.f", "auth_type": "NONE"}]}]}}
}

test_iam_clean if {
	count(url_without_auth.deny) == 0 with input as {"inventory": {"functions": [{"name": "f", "address": "aws_lambda_function.f", "urls": [{"address": "aws_lambda_function_url.f", "auth_type": "AWS_IAM"}]}]}}
}
