// Package inventory is the one model of a Lambda application that every
// source (Terraform HCL, plan JSON, SAM, live AWS, snapshot files) produces
// and every later step (the simulator, the Rego rules) reads.
//
// Pipeline place: source → inventory → flows → findings → report. The types
// here are plain JSON-tagged data with no behaviour; the only code is
// snapshot read/write with its schema-version check (snapshot.go) and
// saving to a file (snapshotfile.go). The JSON
// form is the snapshot format documented in docs/snapshot.md.
//
// Two conventions hold everywhere:
//
//   - Unknown values. A field the source could not resolve is left at its
//     zero value and named, with the reason and the location of the
//     expression, in the item's Unknown list (Field is the JSON name of the
//     field, dotted for nested fields, e.g. "environment.kms_key_arn" or
//     "policies[0].document"). A zero value that is not listed there is a
//     real zero/absent value. Nothing is ever guessed.
//   - Placeholders. Identifiers AWS (or Terraform) assigns at creation time —
//     API ids, KMS key ids, stream labels, secret suffixes, published version
//     numbers, generated names — are written as "<ADDRESS.ATTRIBUTE>", e.g.
//     "arn:aws:kms:us-east-1:123456789012:key/<aws_kms_key.data.key_id>". A
//     placeholder stands for one fixed value, the same wherever it appears, so
//     ARNs built from it still join by value; '<' and '>' never occur in real
//     identifiers, so a placeholder can not collide with one.
package inventory

import (
	"encoding/json"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

// SchemaVersion is the snapshot schema this package writes. Schema 2 added
// the coverage of live collections and the kind of each warning; Read
// still accepts schema 1 (see docs/snapshot.md).
const SchemaVersion = 2

// Inventory is everything loaded from one source.
type Inventory struct {
	Schema int    `json:"schema"`
	Source Source `json:"source"`

	// Partition, Account and Region are the defaults the source resolved
	// (provider configuration, flags or placeholders); items carry their own.
	Partition string `json:"partition"`
	Account   string `json:"account"`
	Region    string `json:"region"`

	Functions []Function       `json:"functions"`
	Roles     []Role           `json:"roles"`
	Policies  []ManagedPolicy  `json:"policies"`
	Resources []Resource       `json:"resources"`
	Triggers  []Trigger        `json:"triggers"`
	SCPs      []OrgPolicy      `json:"scps"`
	Modules   []Module         `json:"modules,omitempty"`
	Skipped   []SkippedType    `json:"skipped,omitempty"`
	Diags     []Diagnostic     `json:"diagnostics,omitempty"`
	Unknown   []UnknownOutside `json:"unknown,omitempty"`
	// Warnings are problems met while reading a live account (a denied
	// call, a disabled region); what they cover is unknown, not absent.
	Warnings []Warning `json:"warnings,omitempty"`
	// Coverage says, for each live collection merged into the inventory,
	// what was read; empty for sources that are not live (see coverage.go).
	Coverage []Coverage `json:"coverage,omitempty"`
	// Waivers are the inline waiver comments the source carries
	// (lambdacheck:ignore in HCL), found while it was parsed.
	Waivers []Waiver `json:"waivers,omitempty"`
}

// Waiver is an inline waiver comment: "lambdacheck:ignore:RULES reason"
// written on or just above a block. It waives findings of those rules (ids
// or short codes) located in the block, lines BlockStart to BlockEnd of
// File; File and Line locate the comment itself.
type Waiver struct {
	Rules      []string `json:"rules"`
	Reason     string   `json:"reason,omitempty"`
	File       string   `json:"file"`
	Line       int      `json:"line"`
	BlockStart int      `json:"block_start"`
	BlockEnd   int      `json:"block_end"`
}

// Source says where the inventory came from.
type Source struct {
	Kind string `json:"kind"` // terraform, plan, sam, cfn, aws, snapshot
	Path string `json:"path,omitempty"`
	// AccountPlaceholder is true when Account is the documented placeholder
	// 123456789012 because neither the source nor the user named one.
	AccountPlaceholder bool `json:"account_placeholder,omitempty"`
	// RegionDefault is true when Region fell back to us-east-1.
	RegionDefault bool `json:"region_default,omitempty"`
}

// Origin locates an item in its source: the Terraform address (or the ARN for
// live sources) and the file and line of its definition.
type Origin struct {
	Address string `json:"address"`
	// Span is where the item is defined: from the start of its block (or
	// mapping) to its end (a block's closing brace), as far as the source
	// knows it.
	loc.Span
}

// Unknown names one field of an item whose value could not be resolved.
type Unknown struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
	// Span is where the unresolved value is written.
	loc.Span
}

// UnknownOutside is an unresolved value that belongs to no inventory item,
// e.g. a registry module that was not downloaded.
type UnknownOutside struct {
	Address string `json:"address"`
	Reason  string `json:"reason"`
	loc.Span
}

// Diagnostic is an error or warning met while loading, with its position.
type Diagnostic struct {
	Severity string `json:"severity"` // error, warning
	Summary  string `json:"summary"`
	Detail   string `json:"detail,omitempty"`
	loc.Span
}

// SkippedType counts resources of a type the loader does not model.
type SkippedType struct {
	Type      string   `json:"type"`
	Count     int      `json:"count"`
	Addresses []string `json:"addresses"`
}

// Module is one module instance of a Terraform configuration.
type Module struct {
	Address string `json:"address"` // "" for the root module
	Source  string `json:"source,omitempty"`
	Version string `json:"version,omitempty"`
	Dir     string `json:"dir,omitempty"`
	// Loaded is false for modules whose code was not available (registry
	// modules not downloaded); everything they would produce is unknown.
	Loaded bool   `json:"loaded"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
}

// Policy is a policy document as JSON text plus where it came from, so the
// IAM engine can parse it and point at its statements.
type Policy struct {
	// Name is the inline policy name, the managed policy name, or a label
	// such as "trust" or "bucket-policy".
	Name string `json:"name,omitempty"`
	// ARN is set for managed policies (customer or AWS).
	ARN string `json:"arn,omitempty"`
	// Managed is "aws" for AWS managed policies, "customer" for customer
	// managed policies, empty for inline documents.
	Managed    string          `json:"managed,omitempty"`
	Deprecated bool            `json:"deprecated,omitempty"`
	Document   json.RawMessage `json:"document,omitempty"`
	Origin
	Unknown []Unknown `json:"unknown,omitempty"`
}

// Function is a Lambda function with everything attached to it.
type Function struct {
	Origin
	// External is true when the function is not defined by the source but
	// is the target of something that is (a permission, a trigger).
	External bool   `json:"external,omitempty"`
	Name     string `json:"name"`
	ARN      string `json:"arn"`
	Account  string `json:"account"`
	Region   string `json:"region"`

	Runtime       string   `json:"runtime,omitempty"`
	Handler       string   `json:"handler,omitempty"`
	PackageType   string   `json:"package_type,omitempty"`
	Architectures []string `json:"architectures,omitempty"`
	Role          string   `json:"role,omitempty"` // execution role ARN
	MemorySize    int      `json:"memory_size,omitempty"`
	Timeout       int      `json:"timeout,omitempty"`
	// ReservedConcurrency is -1 when unreserved, as the Lambda API reports.
	ReservedConcurrency int        `json:"reserved_concurrency"`
	Environment         []EnvVar   `json:"environment,omitempty"`
	KMSKeyARN           string     `json:"kms_key_arn,omitempty"`
	Layers              []string   `json:"layers,omitempty"`
	VPC                 *VPCConfig `json:"vpc,omitempty"`
	TracingMode         string     `json:"tracing_mode,omitempty"`
	DeadLetterTarget    string     `json:"dead_letter_target,omitempty"`
	Publish             bool       `json:"publish,omitempty"`
	// RecursiveLoop is Lambda's recursive loop detection setting:
	// "Terminate" (the default) or "Allow".
	RecursiveLoop string        `json:"recursive_loop,omitempty"`
	Version       string        `json:"version,omitempty"` // "$LATEST" or a placeholder
	Aliases       []Alias       `json:"aliases,omitempty"`
	URLs          []FunctionURL `json:"urls,omitempty"`
	AsyncConfigs  []AsyncConfig `json:"async_configs,omitempty"`
	Permissions   []Permission  `json:"permissions,omitempty"`
	// ResourcePolicies are the function's resource-based policies as
	// GetPolicy returns them, one per qualifier ("" is the unqualified
	// function): statements added by permissions, or the full document of a
	// resource-policy resource, which replaces them.
	ResourcePolicies []QualifiedPolicy `json:"resource_policies,omitempty"`
	Unknown          []Unknown         `json:"unknown,omitempty"`
}

// EnvVar is one environment variable: its key and whether its value looks
// like a secret. Values are never stored.
type EnvVar struct {
	Key          string `json:"key"`
	LooksSecret  bool   `json:"looks_secret,omitempty"`
	SecretReason string `json:"secret_reason,omitempty"`
}

// VPCConfig is a function's VPC attachment.
type VPCConfig struct {
	SubnetIDs        []string `json:"subnet_ids,omitempty"`
	SecurityGroupIDs []string `json:"security_group_ids,omitempty"`
}

// Alias is a function alias.
type Alias struct {
	Origin
	Name            string             `json:"name"`
	ARN             string             `json:"arn"`
	FunctionVersion string             `json:"function_version,omitempty"`
	RoutingWeights  map[string]float64 `json:"routing_weights,omitempty"`
	Unknown         []Unknown          `json:"unknown,omitempty"`
}

// FunctionURL is a function URL configuration.
type FunctionURL struct {
	Origin
	Qualifier  string          `json:"qualifier,omitempty"`
	AuthType   string          `json:"auth_type"` // NONE or AWS_IAM
	InvokeMode string          `json:"invoke_mode,omitempty"`
	URL        string          `json:"url,omitempty"`
	CORS       json.RawMessage `json:"cors,omitempty"`
	Unknown    []Unknown       `json:"unknown,omitempty"`
}

// AsyncConfig is an asynchronous invocation configuration (destinations,
// retries) for one qualifier.
type AsyncConfig struct {
	Origin
	Qualifier                string    `json:"qualifier,omitempty"`
	OnSuccess                string    `json:"on_success,omitempty"`
	OnFailure                string    `json:"on_failure,omitempty"`
	MaximumRetryAttempts     *int      `json:"maximum_retry_attempts,omitempty"`
	MaximumEventAgeInSeconds *int      `json:"maximum_event_age_in_seconds,omitempty"`
	Unknown                  []Unknown `json:"unknown,omitempty"`
}

// Permission is one statement added to a function's resource policy with
// AddPermission (Terraform aws_lambda_permission).
type Permission struct {
	Origin
	StatementID         string `json:"statement_id"`
	Qualifier           string `json:"qualifier,omitempty"`
	Action              string `json:"action"`
	Principal           string `json:"principal"`
	SourceARN           string `json:"source_arn,omitempty"`
	SourceAccount       string `json:"source_account,omitempty"`
	PrincipalOrgID      string `json:"principal_org_id,omitempty"`
	EventSourceToken    string `json:"event_source_token,omitempty"`
	FunctionURLAuthType string `json:"function_url_auth_type,omitempty"`
	// InvokedViaFunctionURL limits a lambda:InvokeFunction grant to calls
	// through the function's URL (condition lambda:InvokedViaFunctionUrl).
	InvokedViaFunctionURL bool      `json:"invoked_via_function_url,omitempty"`
	Unknown               []Unknown `json:"unknown,omitempty"`
}

// QualifiedPolicy is a resource policy that applies to one qualifier.
type QualifiedPolicy struct {
	Qualifier string `json:"qualifier,omitempty"`
	Policy
}

// Role is an IAM role with its effective policy documents.
type Role struct {
	Origin
	External bool   `json:"external,omitempty"`
	Name     string `json:"name"`
	ARN      string `json:"arn"`
	Path     string `json:"path,omitempty"`
	Account  string `json:"account"`

	TrustPolicy         *Policy  `json:"trust_policy,omitempty"`
	InlinePolicies      []Policy `json:"inline_policies,omitempty"`
	AttachedPolicies    []Policy `json:"attached_policies,omitempty"`
	PermissionsBoundary *Policy  `json:"permissions_boundary,omitempty"`
	// ExclusiveInline is true when aws_iam_role_policies_exclusive (or an
	// inline_policy block) makes the listed inline policies the only ones.
	ExclusiveInline    bool      `json:"exclusive_inline,omitempty"`
	MaxSessionDuration int       `json:"max_session_duration,omitempty"`
	Unknown            []Unknown `json:"unknown,omitempty"`
}

// ManagedPolicy is a customer managed policy defined by the source.
type ManagedPolicy struct {
	Policy
	Path string `json:"path,omitempty"`
}

// Resource is anything a function can be triggered by or can reach: a
// bucket, queue, topic, table, stream, key, secret, rule, API …
type Resource struct {
	Origin
	External bool `json:"external,omitempty"`
	// Type is the Terraform resource type (data sources are prefixed with
	// "data.") or, for other sources, the CloudFormation-style type.
	Type    string `json:"type"`
	Service string `json:"service"` // ARN service: s3, sqs, sns, dynamodb …
	Name    string `json:"name,omitempty"`
	ARN     string `json:"arn"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	// URL is the queue URL or API endpoint where the resource has one.
	URL        string   `json:"url,omitempty"`
	Policy     *Policy  `json:"policy,omitempty"`
	KMSKeyARN  string   `json:"kms_key_arn,omitempty"`
	StreamARNs []string `json:"stream_arns,omitempty"`
	// Attributes holds type-specific facts (FIFO, stream view type,
	// schedule expression, protocol …) as strings, sorted by key in JSON.
	Attributes map[string]string `json:"attributes,omitempty"`
	Unknown    []Unknown         `json:"unknown,omitempty"`
}

// Trigger is one event source wired to a target: an S3 notification, SNS
// subscription, EventBridge target, event source mapping, API route …
type Trigger struct {
	Origin
	// Kind is "push" (the source invokes the function under the function's
	// resource policy, or under InvokeRole for role-based invokers) or
	// "poll" (Lambda reads the source with the execution role).
	Kind string `json:"kind"`
	// Service is the trigger type of the flow contract: s3, sns, sqs,
	// kinesis, dynamodb, kafka, mq, docdb, eventbridge, schedule, scheduler,
	// apigateway, apigatewayv2, function_url, alb, logs, iot, cognito, sfn,
	// alarm, secretsmanager, rds, firehose, codepipeline, appsync, pipes,
	// cloudfront, s3_object_lambda, cloudformation, ses, alexa,
	// alexa_smart_home, config, lex, connect, bedrock, codecommit,
	// vpc_lattice, pinpoint, and unmodelled (a resource that can invoke by a
	// path lambdacheck does not model; its Events name the resource type).
	// docs/triggers.md lists them all.
	Service       string `json:"service"`
	SourceARN     string `json:"source_arn,omitempty"`
	SourceAddress string `json:"source_address,omitempty"`
	// Target is what the source delivers to, as configured (a function ARN,
	// possibly qualified, or a queue/topic/state machine ARN).
	Target string `json:"target,omitempty"`
	// FunctionARN (unqualified), FunctionAddress and Qualifier are set when
	// the target is a Lambda function.
	FunctionARN     string `json:"function_arn,omitempty"`
	FunctionAddress string `json:"function_address,omitempty"`
	Qualifier       string `json:"qualifier,omitempty"`
	// InvokeRole is the role the service assumes to invoke the target
	// (Scheduler, Step Functions, API Gateway credentials, EventBridge,
	// Aurora, Firehose, CodePipeline, AppSync data sources, Pipes, a
	// CloudFormation stack's service role).
	InvokeRole string `json:"invoke_role,omitempty"`
	// Authorization is how callers are authenticated where the source
	// is an endpoint: API Gateway method/route authorization (NONE,
	// AWS_IAM, CUSTOM, COGNITO_USER_POOLS, JWT) or a function URL's
	// auth type (NONE, AWS_IAM).
	Authorization string   `json:"authorization,omitempty"`
	Events        []string `json:"events,omitempty"`
	Enabled       bool     `json:"enabled"`
	Filter        *Filter  `json:"filter,omitempty"`
	Batch         *Batch   `json:"batch,omitempty"`
	// OnFailure is the failure destination of an event source mapping or
	// the dead-letter target of a rule/schedule target.
	OnFailure string `json:"on_failure,omitempty"`
	// SourceAccess are an event source mapping's source access
	// configurations: the Secrets Manager secret holding the credentials
	// (BASIC_AUTH, SASL_SCRAM_*_AUTH, CLIENT_CERTIFICATE_TLS_AUTH,
	// SERVER_ROOT_CA_CERTIFICATE), the VPC subnets and security groups of a
	// self-managed Kafka cluster (VPC_SUBNET, VPC_SECURITY_GROUP), …
	SourceAccess []SourceAccess `json:"source_access,omitempty"`
	// Endpoints are a self-managed source's bootstrap servers (self-managed
	// Kafka has no source ARN).
	Endpoints []string  `json:"endpoints,omitempty"`
	Unknown   []Unknown `json:"unknown,omitempty"`
}

// SourceAccess is one source access configuration of an event source
// mapping, as the Lambda API names it.
type SourceAccess struct {
	Type string `json:"type"`
	URI  string `json:"uri"`
}

// Filter is whatever narrows the events a trigger delivers; only the fields
// of the trigger's kind are set.
type Filter struct {
	Prefix string `json:"prefix,omitempty"` // S3 key prefix
	Suffix string `json:"suffix,omitempty"` // S3 key suffix
	// Pattern is an EventBridge event pattern or SNS filter policy.
	Pattern json.RawMessage `json:"pattern,omitempty"`
	// Scope is the SNS filter policy scope (MessageAttributes, MessageBody).
	Scope string `json:"scope,omitempty"`
	// Patterns are event source mapping filter criteria.
	Patterns []json.RawMessage `json:"patterns,omitempty"`
	// Expression is a CloudWatch Logs filter pattern, an IoT SQL statement,
	// a schedule expression, or an API route key ("GET /items").
	Expression string `json:"expression,omitempty"`
}

// Batch holds event source mapping batching and retry settings.
type Batch struct {
	BatchSize                      int      `json:"batch_size,omitempty"`
	MaximumBatchingWindowInSeconds int      `json:"maximum_batching_window_in_seconds,omitempty"`
	StartingPosition               string   `json:"starting_position,omitempty"`
	ParallelizationFactor          int      `json:"parallelization_factor,omitempty"`
	MaximumRetryAttempts           *int     `json:"maximum_retry_attempts,omitempty"`
	MaximumRecordAgeInSeconds      *int     `json:"maximum_record_age_in_seconds,omitempty"`
	BisectBatchOnFunctionError     bool     `json:"bisect_batch_on_function_error,omitempty"`
	FunctionResponseTypes          []string `json:"function_response_types,omitempty"`
	MaximumConcurrency             int      `json:"maximum_concurrency,omitempty"`
}

// OrgPolicy is an AWS Organizations policy: a service control policy (SCP)
// or a resource control policy (RCP), with the targets it is attached to.
type OrgPolicy struct {
	Policy
	Type    string   `json:"type"` // SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY
	ID      string   `json:"id,omitempty"`
	Targets []string `json:"targets,omitempty"`
}

// Warning is a problem met while collecting from a live account: a call
// that was denied or failed, a region that is not enabled, an item deleted
// while it was read, or a value the API returned that is not valid. The
// items the call would have filled are marked unknown; Permission names the
// IAM action that was missing, so the summary can say what to grant.
type Warning struct {
	// Kind is one of the Warning* constants (empty in schema 1 snapshots,
	// where every warning was a denial or a disabled region).
	Kind       string `json:"kind,omitempty"`
	Account    string `json:"account,omitempty"`
	Region     string `json:"region,omitempty"`
	Service    string `json:"service"`
	Operation  string `json:"operation"`
	Permission string `json:"permission,omitempty"`
	Resource   string `json:"resource,omitempty"`
	Code       string `json:"code,omitempty"` // the AWS error code
	Message    string `json:"message"`
}
