// Package terraform loads a Terraform configuration directory into the
// inventory without running Terraform: package eval evaluates the module
// tree as Terraform would plan it, and the decoders here turn the evaluated
// resource instances of the types lambdacheck understands (Lambda, IAM, S3,
// SNS, SQS, EventBridge, Scheduler, API Gateway, DynamoDB, Kinesis, KMS,
// Logs, IoT, Cognito, Step Functions, ELB, CloudWatch alarms, Secrets
// Manager, RDS, Organizations, and the push invokers of invokers.go: SES,
// Alexa, Config, Lex, Connect, Bedrock agents, CodeCommit, VPC Lattice,
// Pinpoint) into inventory items keyed by resolved ARN. Other resource
// types are skipped and counted; those that can invoke a function give an
// unknown trigger and a warning.
//
// Pipeline place: source → inventory. Later steps read only the inventory.
package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
)

// Options configure Load.
type Options struct {
	// Vars are --var and --var-file arguments in command-line order.
	Vars []eval.VarArg
	// Env is the environment (KEY=VALUE) for TF_VAR_* and AWS_REGION.
	Env []string
	// Account and Region apply where the provider configuration names
	// none; empty means the placeholders 123456789012 and us-east-1.
	Account string
	Region  string
	// Catalog resolves AWS managed policies; nil leaves them unresolved.
	Catalog PolicyCatalog
	// StrictVars makes a root variable without a value an error.
	StrictVars bool
	// MaxInstances overrides the count/for_each expansion budget when > 0.
	MaxInstances int
	// Root is the scan root everything read must resolve into; empty
	// means the Git work tree holding dir, else dir itself.
	Root string
	// AllowReadOutsideRoot lets regular files outside Root be read.
	AllowReadOutsideRoot bool
	// Overlay, when set, sees and may replace every instance's value.
	Overlay Overlay
	// Kind is the inventory's source kind; empty means "terraform".
	Kind string
}

// Load reads the Terraform configuration in dir. Problems in the
// configuration are diagnostics in the inventory, not errors; the error is
// for a directory that can not be read or a cancelled context.
func Load(ctx context.Context, dir string, opts Options) (*inventory.Inventory, error) {
	// As Terraform, refuse a directory without configuration: a pipeline
	// pointed at the wrong path must not pass on an empty inventory.
	tf, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	tfJSON, _ := filepath.Glob(filepath.Join(dir, "*.tf.json"))
	if len(tf)+len(tfJSON) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("load terraform: %w", err)
		}
		return nil, fmt.Errorf("load terraform %s: no configuration files (*.tf, *.tf.json) in the directory", dir)
	}
	rootDir := opts.Root
	if rootDir == "" {
		found, err := confine.Find(dir)
		if err != nil {
			return nil, fmt.Errorf("load terraform %s: %w", dir, err)
		}
		rootDir = found
	}
	root, err := confine.New(rootDir, opts.AllowReadOutsideRoot)
	if err != nil {
		return nil, fmt.Errorf("load terraform %s: %w", dir, err)
	}
	k := newKnowledge(opts.Catalog)
	var know eval.Knowledge = k
	if opts.Overlay != nil {
		know = overlaid{k, opts.Overlay}
	}
	res, err := eval.Evaluate(ctx, eval.Options{
		Dir: dir, Vars: opts.Vars, Env: opts.Env, Account: opts.Account, Region: opts.Region, Knowledge: know, StrictVars: opts.StrictVars,
		Root: root, MaxInstances: opts.MaxInstances,
		ReleaseSyntax: true, KeepReferences: referencesReadAfterEvaluation,
	})
	if err != nil {
		return nil, fmt.Errorf("load terraform %s: %w", dir, err)
	}
	b := newBuilder(res, opts.Catalog, k)
	b.inv.Source.Path = filepath.ToSlash(dir)
	if opts.Kind != "" {
		b.inv.Source.Kind = opts.Kind
	}
	b.build()
	return b.inv, nil
}

// decoder turns one evaluated instance into inventory items.
type decoder func(b *builder, i *instance)

// primary decoders create the items others attach to (functions, roles,
// policies, resources); secondary ones attach to them or create triggers.
var primary = map[string]decoder{
	"aws_lambda_function":         decodeFunction,
	"aws_lambda_layer_version":    decodeLayerVersion,
	"aws_iam_role":                decodeRole,
	"aws_iam_policy":              decodeManagedPolicy,
	"aws_s3_bucket":               decodeBucket,
	"aws_sqs_queue":               decodeQueue,
	"aws_sns_topic":               decodeTopic,
	"aws_dynamodb_table":          decodeTable,
	"aws_kinesis_stream":          decodeStream,
	"aws_kms_key":                 decodeKey,
	"aws_kms_alias":               decodeKeyAlias,
	"aws_secretsmanager_secret":   decodeSecret,
	"aws_ssm_parameter":           decodeSimpleResource("ssm", "kms_key_id"),
	"aws_cloudwatch_event_rule":   decodeEventRule,
	"aws_cloudwatch_event_bus":    decodeSimpleResource("events", ""),
	"aws_cloudwatch_log_group":    decodeSimpleResource("logs", "kms_key_id"),
	"aws_scheduler_schedule":      decodeSchedule,
	"aws_api_gateway_rest_api":    decodeRestAPI,
	"aws_apigatewayv2_api":        decodeHTTPAPI,
	"aws_iot_topic_rule":          decodeIoTRule,
	"aws_cognito_user_pool":       decodeUserPool,
	"aws_sfn_state_machine":       decodeStateMachine,
	"aws_lb_target_group":         decodeSimpleResource("elasticloadbalancing", ""),
	"aws_alb_target_group":        decodeSimpleResource("elasticloadbalancing", ""),
	"aws_lb_listener":             decodeListener,
	"aws_alb_listener":            decodeListener,
	"aws_cloudwatch_metric_alarm": decodeAlarm,
	"aws_rds_cluster":             decodeSimpleResource("rds", "kms_key_id"),
	"aws_organizations_policy":    decodeOrgPolicy,
	"aws_mq_broker":               decodeBroker,
	// Push invokers of invokers.go.
	"aws_ses_receipt_rule_set":    decodeSESRuleSet,
	"aws_config_config_rule":      decodeConfigRule,
	"aws_lex_intent":              decodeLexIntent,
	"aws_connect_instance":        decodeConnectInstance,
	"aws_bedrockagent_agent":      decodeBedrockAgent,
	"aws_codecommit_repository":   decodeSimpleResource("codecommit", ""),
	"aws_vpclattice_target_group": decodeLatticeTargetGroup,
	"aws_pinpoint_app":            decodePinpointApp,
}

var secondary = map[string]decoder{
	"aws_lambda_alias":                                   decodeAlias,
	"aws_lambda_permission":                              decodePermissionAndSkill,
	"aws_lambda_function_url":                            decodeFunctionURL,
	"aws_lambda_function_event_invoke_config":            decodeInvokeConfig,
	"aws_lambda_event_source_mapping":                    decodeEventSourceMapping,
	"aws_lambda_resource_policy":                         decodeFunctionResourcePolicy,
	"aws_lambda_function_resource_policy":                decodeFunctionResourcePolicy,
	"aws_lambda_layer_version_permission":                decodeLayerPermission,
	"aws_lambda_function_recursion_config":               decodeRecursionConfig,
	"aws_iam_role_policy":                                decodeRolePolicy,
	"aws_iam_role_policy_attachment":                     decodeRolePolicyAttachment,
	"aws_iam_policy_attachment":                          decodePolicyAttachment,
	"aws_iam_role_policies_exclusive":                    decodeRolePoliciesExclusive,
	"aws_iam_role_policy_attachments_exclusive":          decodeRoleAttachmentsExclusive,
	"aws_s3_bucket_policy":                               decodeResourcePolicy("s3", "bucket", "policy"),
	"aws_s3_bucket_server_side_encryption_configuration": decodeBucketEncryption,
	"aws_s3_bucket_notification":                         decodeBucketNotification,
	"aws_sqs_queue_policy":                               decodeResourcePolicy("sqs", "queue_url", "policy"),
	"aws_sns_topic_policy":                               decodeResourcePolicy("sns", "arn", "policy"),
	"aws_sns_topic_subscription":                         decodeSubscription,
	"aws_dynamodb_resource_policy":                       decodeResourcePolicy("", "resource_arn", "policy"),
	"aws_kinesis_resource_policy":                        decodeResourcePolicy("", "resource_arn", "policy"),
	"aws_kms_key_policy":                                 decodeResourcePolicy("kms", "key_id", "policy"),
	"aws_secretsmanager_secret_policy":                   decodeResourcePolicy("secretsmanager", "secret_arn", "policy"),
	"aws_secretsmanager_secret_rotation":                 decodeRotation,
	"aws_ses_receipt_rule":                               decodeSESReceiptRule,
	"aws_ses_active_receipt_rule_set":                    stash,
	"aws_connect_lambda_function_association":            decodeConnectAssociation,
	"aws_bedrockagent_agent_action_group":                decodeBedrockActionGroup,
	"aws_codecommit_trigger":                             decodeCodeCommitTrigger,
	"aws_vpclattice_target_group_attachment":             decodeLatticeAttachment,
	"aws_cloudwatch_event_bus_policy":                    decodeResourcePolicy("events", "event_bus_name", "policy"),
	"aws_cloudwatch_event_target":                        decodeEventTarget,
	"aws_cloudwatch_log_subscription_filter":             decodeLogSubscription,
	"aws_api_gateway_integration":                        stash,
	"aws_api_gateway_method":                             stash,
	"aws_api_gateway_authorizer":                         stash,
	"aws_api_gateway_stage":                              stash,
	"aws_api_gateway_deployment":                         stash,
	"aws_api_gateway_rest_api_policy":                    decodeResourcePolicy("execute-api", "rest_api_id", "policy"),
	"aws_apigatewayv2_integration":                       stash,
	"aws_apigatewayv2_route":                             stash,
	"aws_apigatewayv2_authorizer":                        stash,
	"aws_apigatewayv2_stage":                             stash,
	"aws_lb_target_group_attachment":                     decodeTargetGroupAttachment,
	"aws_alb_target_group_attachment":                    decodeTargetGroupAttachment,
	"aws_lb_listener_rule":                               decodeListenerRule,
	"aws_alb_listener_rule":                              decodeListenerRule,
	"aws_rds_cluster_role_association":                   decodeClusterRoleAssociation,
	"aws_organizations_policy_attachment":                decodeOrgPolicyAttachment,
	// roleinvokers.go
	"aws_kinesis_firehose_delivery_stream":     decodeDeliveryStream,
	"aws_codepipeline":                         decodePipeline,
	"aws_appsync_datasource":                   decodeAppSyncDataSource,
	"aws_appsync_graphql_api":                  decodeGraphQLAPI,
	"aws_pipes_pipe":                           decodePipe,
	"aws_cloudfront_distribution":              decodeDistribution,
	"aws_s3control_object_lambda_access_point": decodeObjectLambdaAccessPoint,
	"aws_cloudformation_stack":                 decodeStack,
	"aws_db_instance_role_association":         decodeClusterRoleAssociation,
}

// dataResources are data sources that name a resource the configuration
// uses but does not manage; they enter the inventory as external items.
var dataResources = map[string]string{
	"aws_sqs_queue":             "sqs",
	"aws_sns_topic":             "sns",
	"aws_s3_bucket":             "s3",
	"aws_dynamodb_table":        "dynamodb",
	"aws_kinesis_stream":        "kinesis",
	"aws_kms_key":               "kms",
	"aws_secretsmanager_secret": "secretsmanager",
	"aws_cloudwatch_event_bus":  "events",
	"aws_cloudwatch_log_group":  "logs",
	"aws_ssm_parameter":         "ssm",
}

// referencesReadAfterEvaluation are the arguments, by resource type, whose
// references the decoders read (config.Resource.Traversals) once the
// syntax trees are released.
var referencesReadAfterEvaluation = map[string][]string{
	"aws_lambda_event_source_mapping": {"event_source_arn"},
}

// instance is an evaluated instance with its origin.
type instance struct {
	*eval.Instance
	origin inventory.Origin
	rng    hcl.Range
	diags  *[]inventory.Diagnostic // the inventory's, for load errors in arguments
}

func (i *instance) obj(unknown *[]inventory.Unknown) obj {
	o := newObj(i.Value, unknown, i.rng)
	o.own = "<" + i.Addr + "."
	o.diags, o.res, o.addr = i.diags, i.Resource, i.Addr
	return o
}

func (b *builder) build() {
	var insts []*instance
	for _, ei := range b.res.Instances {
		r := ei.Resource
		insts = append(insts, &instance{Instance: ei, rng: r.Range, diags: &b.inv.Diags,
			origin: inventory.Origin{Address: ei.Addr, Span: blockSpan(r)}})
	}
	for _, i := range insts {
		if i.Resource.Mode == config.Data {
			if i.Resource.Type == "aws_lambda_function" {
				decodeDataFunction(b, i)
			} else if svc, ok := dataResources[i.Resource.Type]; ok {
				decodeDataResource(b, i, svc)
			}
			continue
		}
		if d, ok := primary[i.Resource.Type]; ok {
			d(b, i)
		}
	}
	for _, i := range insts {
		if i.Resource.Mode == config.Data {
			continue
		}
		if d, ok := secondary[i.Resource.Type]; ok {
			d(b, i)
			continue
		}
		if _, ok := unmodelledInvokers[i.Resource.Type]; ok {
			decodeUnmodelledInvoker(b, i)
			continue
		}
		if _, ok := primary[i.Resource.Type]; !ok {
			b.skip(i)
		}
	}
	b.link()
	b.finish()
}

func (b *builder) skip(i *instance) {
	t := i.Resource.Type
	for k := range b.inv.Skipped {
		if b.inv.Skipped[k].Type == t {
			b.inv.Skipped[k].Count++
			b.inv.Skipped[k].Addresses = append(b.inv.Skipped[k].Addresses, i.Addr)
			return
		}
	}
	b.inv.Skipped = append(b.inv.Skipped, inventory.SkippedType{Type: t, Count: 1, Addresses: []string{i.Addr}})
}

func sortSkipped(s []inventory.SkippedType) {
	sort.Slice(s, func(i, j int) bool { return s[i].Type < s[j].Type })
}

// blockSpan is where a resource block is written: from its first
// character to just after its closing brace (for an item another source
// hands over without a body, such as a CloudFormation resource, the end of
// its range). The end is left out when the body does not say (JSON syntax)
// or the block is written on one line.
func blockSpan(r *config.Resource) loc.Span {
	s := spanOf(r.Range)
	s.EndLine, s.EndColumn = 0, 0
	if end := r.End(); end.Line > r.Range.Start.Line {
		s.EndLine, s.EndColumn = end.Line, end.Column
	}
	return s
}

// spanOf is an HCL range as a span (HCL columns count characters, and
// its end is just after the last one, as a span's).
func spanOf(r hcl.Range) loc.Span {
	return loc.Span{File: r.Filename, Line: r.Start.Line, Column: r.Start.Column, EndLine: r.End.Line, EndColumn: r.End.Column}
}
