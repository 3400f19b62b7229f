// Package awsapi reads a live AWS account into the inventory:
// functions with their aliases, resource policies, URLs, event source
// mappings and invoke configs; roles with trust, inline, attached and
// boundary policies; and the resources and policies flows touch (S3, SNS,
// SQS, EventBridge, Scheduler, API Gateway, DynamoDB, Kinesis, KMS,
// Organizations SCPs).
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
// are merged and linked at the end. A call that is denied, or a region that
// is not enabled, becomes a Warning in the inventory and the items it would
// have filled are marked unknown; any other error aborts the collection, so
// a partial snapshot is never returned as if complete.
//
// Addresses: live items have no Terraform address, so Origin.Address is the
// item's ARN; parts of an item that have no ARN of their own are addressed
// "PARENT-ARN#KIND/ID" (an S3 notification "arn:aws:s3:::b#notification/ID",
// an EventBridge target "RULE-ARN#target/ID", a function URL
// "FUNCTION-ARN#url").
package awsapi
