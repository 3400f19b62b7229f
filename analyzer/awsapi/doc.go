// Package awsapi reads a live AWS account into the inventory:
// functions with their aliases, resource policies, URLs, event source
// mappings and invoke configs; roles with trust, inline, attached and
// boundary policies; the resources and policies flows touch (S3, SNS,
// SQS, EventBridge, Scheduler, API Gateway, DynamoDB, Kinesis, KMS,
// Secrets Manager, Organizations SCPs); and the other services that invoke
// functions (CloudWatch Logs subscription filters, IoT topic rules, Cognito
// user pool triggers, load balancer target groups, Step Functions state
// machines, Secrets Manager rotation, Aurora cluster roles, SES receipt
// rules, AWS Config custom rules, Firehose processors, VPC Lattice target
// groups, Bedrock agent action groups, CodePipeline invoke actions,
// CodeCommit triggers, EventBridge Pipes, CloudFront Lambda@Edge, AppSync
// authorizers and data sources, Amazon Connect instance functions, Lex V2
// bot alias code hooks, S3 Object Lambda access points).
//
// Pipeline place: source (this package, like analyzer/terraform) →
// inventory → flows → findings → report. It produces the same inventory the
// Terraform loader produces for the same application, so every later step
// works on either.
//
// Read-only by construction: every client gets a middleware that refuses
// any operation not named Get*, List* or Describe* (plus the few read
// operations named otherwise, listed in operations.go) and any operation not
// declared in that same table, from which the required IAM policy
// (RequiredPolicy) is generated, so code and policy cannot drift.
//
// One collector per service, each in its own file, returns a part; parts
// are merged and linked at the end. No single call ends a collection: a
// call that is denied, that fails (after the standard retryer's bounded
// retries), or whose item was deleted since it was listed, and a region
// that is not enabled, each becomes a Warning naming the operation, the
// error code and the message; what the call would have filled is marked
// unknown; and the inventory's Coverage records, per region and service,
// what was read, denied and failed (errors.go, gaps.go). Only failing to
// identify the caller, the read-only guard, and cancellation are errors,
// and then no inventory is returned, so nothing partial is written.
//
// Calls that hide whole triggers (a bucket's notifications, a region's
// subscriptions) leave stand-in triggers without a target whose unknown
// names what was not read and the missing action, so the simulator shows
// an unknown flow instead of none; sources and keys of a service not read
// stand in with an unknown policy (gaps.go). Values the APIs return empty
// or malformed (ARNs, names, policy documents) are warnings too.
//
// Addresses: live items have no Terraform address, so Origin.Address is the
// item's ARN; parts of an item that have no ARN of their own are addressed
// "PARENT-ARN#KIND/ID" (an S3 notification "arn:aws:s3:::b#notification/ID",
// an EventBridge target "RULE-ARN#target/ID", a function URL
// "FUNCTION-ARN#url").
package awsapi
