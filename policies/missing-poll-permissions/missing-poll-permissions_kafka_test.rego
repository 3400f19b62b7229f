package lambdacheck.rules.missing_poll_permissions

# A self-managed Kafka mapping, trimmed from `lambdacheck simulate
# fixtures/triggers/kafka-broken --format json`: no source ARN, and the
# execution role can neither reach the VPC nor read the SASL/SCRAM secret.
kafka_flow := {
	"id": "invoke/aws_lambda_event_source_mapping.orders->aws_lambda_function.consumer",
	"kind": "invoke",
	"decision": "denied",
	"steps": [
		{"what": "trigger enabled", "decision": "allowed", "reason": "enabled; events orders", "statements": []},
		{"what": "bootstrap servers", "decision": "allowed", "reason": "b-1.kafka.internal:9096, b-2.kafka.internal:9096", "statements": []},
		{
			"what": "execution role may ec2:CreateNetworkInterface", "decision": "denied",
			"reason": "no identity policy allows the action and the resource-based policy does not grant the principal",
			"principal": "arn:aws:sts::123456789012:assumed-role/kafka-broken-consumer/kafka-broken-consumer",
			"action": "ec2:CreateNetworkInterface", "resource": "*", "statements": [],
		},
		{
			"what": "execution role may secretsmanager:GetSecretValue on the SASL_SCRAM_512_AUTH secret", "decision": "denied",
			"reason": "no identity policy allows the action and the resource-based policy does not grant the principal",
			"principal": "arn:aws:sts::123456789012:assumed-role/kafka-broken-consumer/kafka-broken-consumer",
			"action": "secretsmanager:GetSecretValue",
			"resource": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-broken-credentials", "statements": [],
		},
		{
			"what": "lambda.amazonaws.com may assume role kafka-broken-consumer", "decision": "allowed",
			"reason": "the resource-based policy grants the service principal", "principal": "lambda.amazonaws.com",
			"action": "sts:AssumeRole", "resource": "arn:aws:iam::123456789012:role/kafka-broken-consumer", "statements": [],
		},
	],
	"trigger": {
		"type": "kafka", "kind": "poll", "address": "aws_lambda_event_source_mapping.orders",
		"source": {},
		"function": {"address": "aws_lambda_function.consumer", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:kafka-broken-consumer"},
		"enabled": true, "events": ["orders"],
	},
}

test_self_managed_kafka_names_vpc_and_secret_grants if {
	fs := deny with input as {"flows": [kafka_flow]}
	count(fs) == 1
	some f in fs
	contains(f.message, "cannot poll its self-managed cluster")
	contains(f.message, "ec2:CreateNetworkInterface on *")
	contains(f.message, "secretsmanager:GetSecretValue on arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-broken-credentials")
}
