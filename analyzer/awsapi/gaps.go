package awsapi

import (
	"encoding/json"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// A call that was denied or failed may hide triggers, not only fields of
// items already read: the S3 notifications of a bucket, the subscriptions
// of a region. Such gaps are written into the inventory as stand-in
// triggers without a target function, whose unknown names what was not
// read and why; the simulator turns each into an unknown invocation flow,
// so a missing flow shows instead of vanishing.

// triggerGap describes what a call not read hides: the trigger service
// ("lambda" for what Lambda itself lists: the simulator reads URLs from
// functions, not from triggers) and
// kind, and what to call the hidden part ("%s" is the call's resource, or
// the region for listings).
type triggerGap struct {
	service, kind, what string
}

var triggerGaps = map[string]triggerGap{
	"Lambda.ListFunctions":                                  {"lambda", "push", "Lambda functions (and their URLs) in region %s"},
	"Lambda.ListEventSourceMappings":                        {"lambda", "poll", "event source mappings in region %s"},
	"Lambda.ListFunctionUrlConfigs":                         {"lambda", "push", "function URLs of %s"},
	"S3.ListBuckets":                                        {"s3", "push", "S3 buckets and their notifications"},
	"S3.GetBucketNotificationConfiguration":                 {"s3", "push", "S3 notifications of bucket %s"},
	"SNS.ListSubscriptions":                                 {"sns", "push", "SNS subscriptions in region %s"},
	"EventBridge.ListEventBuses":                            {"eventbridge", "push", "EventBridge buses and rules in region %s"},
	"EventBridge.ListRules":                                 {"eventbridge", "push", "EventBridge rules of bus %s"},
	"Scheduler.ListSchedules":                               {"scheduler", "push", "EventBridge Scheduler schedules in region %s"},
	"API Gateway.GetRestApis":                               {"apigateway", "push", "API Gateway REST APIs in region %s"},
	"API Gateway.GetResources":                              {"apigateway", "push", "methods of REST API %s"},
	"ApiGatewayV2.GetApis":                                  {"apigateway", "push", "API Gateway HTTP and WebSocket APIs in region %s"},
	"ApiGatewayV2.GetRoutes":                                {"apigateway", "push", "routes of API %s"},
	"ApiGatewayV2.GetIntegrations":                          {"apigateway", "push", "integrations of API %s"},
	"CloudWatch Logs.DescribeLogGroups":                     {"logs", "push", "CloudWatch Logs groups and their subscription filters in region %s"},
	"CloudWatch Logs.DescribeSubscriptionFilters":           {"logs", "push", "subscription filters of log group %s"},
	"IoT.ListTopicRules":                                    {"iot", "push", "IoT topic rules in region %s"},
	"IoT.GetTopicRule":                                      {"iot", "push", "actions of IoT rule %s"},
	"Cognito Identity Provider.ListUserPools":               {"cognito", "push", "Cognito user pools and their triggers in region %s"},
	"Cognito Identity Provider.DescribeUserPool":            {"cognito", "push", "Lambda triggers of user pool %s"},
	"Elastic Load Balancing v2.DescribeTargetGroups":        {"alb", "push", "load balancer target groups in region %s"},
	"Elastic Load Balancing v2.DescribeTargetHealth":        {"alb", "push", "targets of target group %s"},
	"SFN.ListStateMachines":                                 {"sfn", "push", "Step Functions state machines in region %s"},
	"SFN.DescribeStateMachine":                              {"sfn", "push", "tasks of state machine %s"},
	"Secrets Manager.ListSecrets":                           {"secretsmanager", "push", "Secrets Manager secrets and their rotation functions in region %s"},
	"SES.DescribeActiveReceiptRuleSet":                      {"ses", "push", "SES receipt rules in region %s"},
	"Config Service.DescribeConfigRules":                    {"config", "push", "AWS Config rules in region %s"},
	"Firehose.ListDeliveryStreams":                          {"firehose", "push", "Firehose delivery streams and their processors in region %s"},
	"Firehose.DescribeDeliveryStream":                       {"firehose", "push", "processors of delivery stream %s"},
	"VPC Lattice.ListTargetGroups":                          {"vpc_lattice", "push", "VPC Lattice target groups in region %s"},
	"VPC Lattice.ListTargets":                               {"vpc_lattice", "push", "targets of VPC Lattice target group %s"},
	"Bedrock Agent.ListAgents":                              {"bedrock", "push", "Bedrock agents and their action groups in region %s"},
	"Bedrock Agent.ListAgentActionGroups":                   {"bedrock", "push", "action groups of Bedrock agent %s"},
	"Bedrock Agent.GetAgentActionGroup":                     {"bedrock", "push", "an action group of Bedrock agent %s"},
	"CodePipeline.ListPipelines":                            {"codepipeline", "push", "CodePipeline pipelines in region %s"},
	"CodePipeline.GetPipeline":                              {"codepipeline", "push", "actions of pipeline %s"},
	"CodeCommit.ListRepositories":                           {"codecommit", "push", "CodeCommit repositories and their triggers in region %s"},
	"CodeCommit.GetRepositoryTriggers":                      {"codecommit", "push", "triggers of repository %s"},
	"Pipes.ListPipes":                                       {"pipes", "push", "EventBridge Pipes in region %s"},
	"CloudFront.ListDistributions":                          {"cloudfront", "push", "CloudFront distributions and their Lambda@Edge associations"},
	"AppSync.ListGraphqlApis":                               {"appsync", "push", "AppSync GraphQL APIs (authorizers and data sources) in region %s"},
	"AppSync.ListDataSources":                               {"appsync", "push", "data sources of GraphQL API %s"},
	"Connect.ListInstances":                                 {"connect", "push", "Amazon Connect instances and their functions in region %s"},
	"Connect.ListLambdaFunctions":                           {"connect", "push", "functions of Connect instance %s"},
	"Lex Models V2.ListBots":                                {"lexv2", "push", "Lex V2 bots and their aliases in region %s"},
	"Lex Models V2.ListBotAliases":                          {"lexv2", "push", "aliases of Lex V2 bot %s"},
	"Lex Models V2.DescribeBotAlias":                        {"lexv2", "push", "code hooks of Lex V2 bot alias %s"},
	"S3 Control.ListAccessPointsForObjectLambda":            {"s3_object_lambda", "push", "S3 Object Lambda access points in region %s"},
	"S3 Control.GetAccessPointConfigurationForObjectLambda": {"s3_object_lambda", "push", "transformations of Object Lambda access point %s"},
	"RDS.DescribeDBInstances":                               {"rds", "push", "RDS DB instances and their Lambda roles in region %s"},
	"RDS.DescribeDBClusters":                                {"rds", "push", "Aurora clusters and their Lambda roles in region %s"},
}

// pollSourceServices are the SDK services of sources polled by event
// source mappings, by ARN service: when a call about them was not read, a
// mapping's source may be missing from the inventory.
var pollSourceServices = map[string]string{"SQS": "sqs", "DynamoDB": "dynamodb", "Kinesis": "kinesis", "KMS": "kms",
	"Secrets Manager": "secretsmanager"}

// notReadWarning reports whether a warning stands for a call whose result
// is missing (denied or failed).
func notReadWarning(w inventory.Warning) bool {
	return w.Kind == inventory.WarningDenied || w.Kind == inventory.WarningFailed
}

// gapTriggers are the stand-in triggers for the warnings' calls.
func (c *collector) gapTriggers(warnings []inventory.Warning, reasonOf func(inventory.Warning) string) []inventory.Trigger {
	var out []inventory.Trigger
	seen := map[string]bool{}
	for _, w := range warnings {
		g, ok := triggerGaps[w.Service+"."+w.Operation]
		if !ok || !notReadWarning(w) {
			continue
		}
		subject, source := w.Resource, w.Resource
		if subject == "" {
			subject, source = w.Region, ""
		} else if _, _, _, _, res, ok := arnParts(subject); ok && strings.HasPrefix(subject, "arn:"+c.partition+":s3:::") {
			subject = res
		}
		addr := "not-read:" + w.Service + "." + w.Operation + "@" + w.Region
		if w.Resource != "" {
			addr = w.Resource + "#not-read/" + w.Operation
		}
		if seen[addr] {
			continue
		}
		seen[addr] = true
		what := strings.Replace(g.what, "%s", subject, 1)
		t := inventory.Trigger{Origin: inventory.Origin{Address: addr}, Kind: g.kind, Service: g.service,
			SourceAddress: addr, Enabled: true,
			Unknown: []inventory.Unknown{{Field: "function_arn", Reason: what + " not read: " + reasonOf(w)}}}
		if isARN(source) {
			t.SourceARN, t.SourceAddress = source, source
		}
		out = append(out, t)
	}
	return out
}

// gapSources are stand-ins for the items the inventory refers to (polled
// sources, destinations and dead-letter targets, KMS keys) whose service
// was not fully read in their region: their policy is unknown, not absent,
// and they are in the account, not outside it.
func gapSources(inv *inventory.Inventory, warnings []inventory.Warning, reasonOf func(inventory.Warning) string) []inventory.Resource {
	missed := map[string]string{} // "sqs@eu-west-1" → reason
	for _, w := range warnings {
		if svc, ok := pollSourceServices[w.Service]; ok && notReadWarning(w) {
			key := svc + "@" + w.Region
			if _, done := missed[key]; !done {
				missed[key] = w.Service + " " + w.Operation + ": " + reasonOf(w)
			}
		}
	}
	if len(missed) == 0 {
		return nil
	}
	have := map[string]bool{}
	for _, r := range inv.Resources {
		have[r.ARN] = true
		for _, s := range r.StreamARNs {
			have[s] = true
		}
	}
	// The items that refer to them: polled sources, and the KMS keys
	// resources and functions are encrypted with.
	var refs []string
	for _, t := range inv.Triggers {
		if t.Kind == "poll" {
			refs = append(refs, t.SourceARN)
		}
	}
	for _, t := range inv.Triggers {
		refs = append(refs, t.OnFailure)
	}
	for _, r := range inv.Resources {
		refs = append(refs, r.KMSKeyARN, r.Attributes["dead_letter_target"])
	}
	// And the resources execution roles name by ARN: without the listing
	// they would look outside the account.
	for _, r := range inv.Roles {
		for _, pol := range append(append([]inventory.Policy(nil), r.InlinePolicies...), r.AttachedPolicies...) {
			refs = append(refs, policyResources(pol.Document)...)
		}
	}
	for _, f := range inv.Functions {
		refs = append(refs, f.KMSKeyARN, f.DeadLetterTarget)
		for _, a := range f.AsyncConfigs {
			refs = append(refs, a.OnSuccess, a.OnFailure)
		}
	}
	var out []inventory.Resource
	for _, ref := range refs {
		if ref == "" || have[ref] || strings.ContainsAny(ref, "*?$") {
			continue
		}
		_, svc, region, account, _, ok := arnParts(ref)
		why, hit := missed[svc+"@"+region]
		if !ok || !hit || account != inv.Account {
			continue
		}
		have[ref] = true
		r := inventory.Resource{Origin: inventory.Origin{Address: ref}, Type: pollSourceType(ref), Service: svc,
			ARN: ref, Name: lastPart(ref), Account: account, Region: region, External: true,
			Unknown: []inventory.Unknown{{Field: "policy", Reason: "not read: " + why}}}
		out = append(out, r)
	}
	return out
}

func pollSourceType(arn string) string {
	_, svc, _, _, res, _ := arnParts(arn)
	switch {
	case svc == "sqs":
		return "AWS::SQS::Queue"
	case svc == "dynamodb" && strings.Contains(res, "/stream/"):
		return "AWS::DynamoDB::Stream"
	case svc == "dynamodb":
		return "AWS::DynamoDB::Table"
	case svc == "kinesis":
		return "AWS::Kinesis::Stream"
	case svc == "kms" && strings.HasPrefix(res, "key/"):
		return "AWS::KMS::Key"
	case svc == "kms":
		return "AWS::KMS::Alias"
	case svc == "secretsmanager":
		return "AWS::SecretsManager::Secret"
	}
	return ""
}

// policyResources are the Resource values of a policy document's
// statements (a statement or a list of them; a string or a list).
func policyResources(doc []byte) []string {
	var d struct{ Statement json.RawMessage }
	if json.Unmarshal(doc, &d) != nil || len(d.Statement) == 0 {
		return nil
	}
	var stmts []struct{ Resource json.RawMessage }
	if d.Statement[0] == '{' {
		stmts = make([]struct{ Resource json.RawMessage }, 1)
		if json.Unmarshal(d.Statement, &stmts[0]) != nil {
			return nil
		}
	} else if json.Unmarshal(d.Statement, &stmts) != nil {
		return nil
	}
	var out []string
	for _, st := range stmts {
		var one string
		var many []string
		if json.Unmarshal(st.Resource, &one) == nil {
			out = append(out, one)
		} else if json.Unmarshal(st.Resource, &many) == nil {
			out = append(out, many...)
		}
	}
	return out
}
