package awsapi

import (
	"context"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// A denied call of each service that invokes functions is a warning
// naming the action, and the triggers it hides show as an unknown
// invocation flow naming the action — never as silent absence.
func TestDeniedInvokerServicesLeaveUnknownFlows(t *testing.T) {
	cases := []struct {
		action, flow string
	}{
		{"logs:DescribeLogGroups", "CloudWatch Logs groups and their subscription filters in region eu-west-1 not read: logs:DescribeLogGroups denied"},
		{"logs:DescribeSubscriptionFilters", "subscription filters of log group arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/acme-hub-ingest not read"},
		{"iot:ListTopicRules", "IoT topic rules in region eu-west-1 not read: iot:ListTopicRules denied"},
		{"iot:GetTopicRule", "actions of IoT rule arn:aws:iot:eu-west-1:123456789012:rule/acme_hub_telemetry not read: iot:GetTopicRule denied"},
		{"cognito-idp:ListUserPools", "Cognito user pools and their triggers in region eu-west-1 not read: cognito-idp:ListUserPools denied"},
		{"cognito-idp:DescribeUserPool", "Lambda triggers of user pool arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Hub7x9Q2a not read"},
		{"elasticloadbalancing:DescribeTargetGroups", "load balancer target groups in region eu-west-1 not read: elasticloadbalancing:DescribeTargetGroups denied"},
		{"elasticloadbalancing:DescribeTargetHealth", "targets of target group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/acme-hub-ingest/1a2b3c4d5e6f7a8b not read"},
		{"states:ListStateMachines", "Step Functions state machines in region eu-west-1 not read: states:ListStateMachines denied"},
		{"states:DescribeStateMachine", "tasks of state machine arn:aws:states:eu-west-1:123456789012:stateMachine:acme-hub-onboarding not read"},
		{"secretsmanager:ListSecrets", "Secrets Manager secrets and their rotation functions in region eu-west-1 not read: secretsmanager:ListSecrets denied"},
		{"rds:DescribeDBClusters", "Aurora clusters and their Lambda roles in region eu-west-1 not read: rds:DescribeDBClusters denied"},
		{"rds:DescribeDBInstances", "RDS DB instances and their Lambda roles in region eu-west-1 not read: rds:DescribeDBInstances denied"},
		{"ses:DescribeActiveReceiptRuleSet", "SES receipt rules in region eu-west-1 not read: ses:DescribeActiveReceiptRuleSet denied"},
		{"config:DescribeConfigRules", "AWS Config rules in region eu-west-1 not read: config:DescribeConfigRules denied"},
		{"firehose:ListDeliveryStreams", "Firehose delivery streams and their processors in region eu-west-1 not read: firehose:ListDeliveryStreams denied"},
		{"firehose:DescribeDeliveryStream", "processors of delivery stream arn:aws:firehose:eu-west-1:123456789012:deliverystream/acme-hub-events not read"},
		{"vpc-lattice:ListTargetGroups", "VPC Lattice target groups in region eu-west-1 not read: vpc-lattice:ListTargetGroups denied"},
		{"vpc-lattice:ListTargets", "targets of VPC Lattice target group arn:aws:vpc-lattice:eu-west-1:123456789012:targetgroup/tg-0a1b2c3d4e5f60789 not read"},
		{"bedrock:ListAgents", "Bedrock agents and their action groups in region eu-west-1 not read: bedrock:ListAgents denied"},
		{"bedrock:ListAgentActionGroups", "action groups of Bedrock agent arn:aws:bedrock:eu-west-1:123456789012:agent/AGENT12345 not read"},
		{"bedrock:GetAgentActionGroup", "an action group of Bedrock agent arn:aws:bedrock:eu-west-1:123456789012:agent/AGENT12345 not read"},
		{"codepipeline:ListPipelines", "CodePipeline pipelines in region eu-west-1 not read: codepipeline:ListPipelines denied"},
		{"codepipeline:GetPipeline", "actions of pipeline arn:aws:codepipeline:eu-west-1:123456789012:acme-hub-release not read"},
		{"codecommit:ListRepositories", "CodeCommit repositories and their triggers in region eu-west-1 not read: codecommit:ListRepositories denied"},
		{"codecommit:GetRepositoryTriggers", "triggers of repository arn:aws:codecommit:eu-west-1:123456789012:acme-hub not read"},
		{"cloudfront:ListDistributions", "CloudFront distributions and their Lambda@Edge associations not read: cloudfront:ListDistributions denied"},
		{"appsync:ListGraphqlApis", "AppSync GraphQL APIs (authorizers and data sources) in region eu-west-1 not read: appsync:ListGraphqlApis denied"},
		{"appsync:ListDataSources", "data sources of GraphQL API arn:aws:appsync:eu-west-1:123456789012:apis/hubapi1234567890 not read"},
		{"connect:ListInstances", "Amazon Connect instances and their functions in region eu-west-1 not read: connect:ListInstances denied"},
		{"connect:ListLambdaFunctions", "functions of Connect instance arn:aws:connect:eu-west-1:123456789012:instance/4f8e2c1a-0000-4000-8000-000000000001 not read"},
		{"lex:ListBots", "Lex V2 bots and their aliases in region eu-west-1 not read: lex:ListBots denied"},
		{"lex:ListBotAliases", "aliases of Lex V2 bot arn:aws:lex:eu-west-1:123456789012:bot/HUBBOT0001 not read"},
		{"lex:DescribeBotAlias", "code hooks of Lex V2 bot alias arn:aws:lex:eu-west-1:123456789012:bot-alias/HUBBOT0001/PRODALIAS1 not read"},
		{"s3:ListAccessPointsForObjectLambda", "S3 Object Lambda access points in region eu-west-1 not read: s3:ListAccessPointsForObjectLambda denied"},
		{"s3:GetAccessPointConfigurationForObjectLambda", "transformations of Object Lambda access point arn:aws:s3-object-lambda:eu-west-1:123456789012:accesspoint/acme-hub-redact not read"},
		{"pipes:ListPipes", "EventBridge Pipes in region eu-west-1 not read: pipes:ListPipes denied"},
		// The pipe is listed with its targets; its role is what is unknown.
		{"pipes:DescribePipe", "acme-hub-orders → arn:aws:lambda:eu-west-1:123456789012:function:acme-hub-signup: pipes invokes with a role trusted by pipes.amazonaws.com, and the trigger names none"},
	}
	for _, c := range cases {
		t.Run(c.action, func(t *testing.T) {
			granted := map[string]bool{}
			for _, a := range requiredActions() {
				granted[a] = a != c.action
			}
			f := newFake(t, "testdata/device-hub", invokerRoutes...)
			f.Enforce(allowOnly(granted))
			inv, err := Collect(context.Background(), f.config("eu-west-1"), Options{Catalog: awsref.Default()})
			if err != nil {
				t.Fatal(err)
			}
			if !deniedIn(inv, c.action) {
				t.Errorf("no denied warning names %s: %+v", c.action, inv.Warnings)
			}
			if flows := unknownInvokeFlows(t, inv); !anyContains(flows, c.flow) {
				t.Errorf("no unknown flow says %q; unknown flows:\n%s", c.flow, strings.Join(flows, "\n"))
			}
		})
	}
}

// Each trigger read from the live account carries the same contract
// fields as the one the Terraform loader reads from the configuration
// that deployed it: kind, events, filter expression, invoke role, enabled.
func TestLiveTriggersMatchTerraformTriggers(t *testing.T) {
	tf, err := terraform.Load(context.Background(), "../../fixtures/device-hub", terraform.Options{Account: "123456789012", Region: "eu-west-1", Catalog: awsref.Default()})
	if err != nil {
		t.Fatal(err)
	}
	tf = withPlaceholders(t, tf, map[string]string{"<aws_cognito_user_pool.users.id>": "eu-west-1_Hub7x9Q2a",
		"<aws_lb_target_group.ingest.tg_id>": "1a2b3c4d5e6f7a8b", "<aws_secretsmanager_secret.db.suffix>": "Xy12Ab"})
	live, _ := collectFake(t, "testdata/device-hub", Options{})
	key := func(tr inventory.Trigger) string {
		return tr.Service + " " + tr.SourceARN + " -> " + tr.FunctionARN + ":" + tr.Qualifier + " " + strings.Join(tr.Events, ",")
	}
	contract := func(tr inventory.Trigger) string {
		expr := ""
		if tr.Filter != nil {
			expr = tr.Filter.Expression
		}
		return strings.Join([]string{tr.Kind, tr.Target, tr.InvokeRole, expr, map[bool]string{true: "enabled", false: "disabled"}[tr.Enabled]}, " | ")
	}
	want := map[string]string{}
	for _, tr := range tf.Triggers {
		want[key(tr)] = contract(tr)
	}
	got := map[string]string{}
	for _, tr := range live.Triggers {
		got[key(tr)] = contract(tr)
	}
	if len(want) != 8 {
		t.Fatalf("terraform gave %d triggers, want 8: %v", len(want), want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s:\n  terraform %q\n  live      %q", k, v, got[k])
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("only live: %s", k)
		}
	}
	types := map[string]bool{}
	for _, r := range live.Resources {
		types[r.Type] = true
	}
	for _, typ := range []string{"AWS::Logs::LogGroup", "AWS::IoT::TopicRule", "AWS::Cognito::UserPool", "AWS::ElasticLoadBalancingV2::TargetGroup",
		"AWS::StepFunctions::StateMachine", "AWS::SecretsManager::Secret"} {
		if !types[typ] {
			t.Errorf("no resource of type %s", typ)
		}
	}
}

// An Aurora cluster's (or a DB instance's) role for the Lambda feature is a
// push trigger with that role as invoker and the function unknown (chosen
// in SQL); other features' roles are not triggers, Aurora members invoke
// through their cluster, and a malformed role ARN is a warning.
func TestAuroraLambdaRole(t *testing.T) {
	inv, _ := collectFake(t, "testdata/device-hub", Options{},
		"rds eu-west-1 DescribeDBClusters 200 rds/DescribeDBClusters.aurora.xml",
		"rds eu-west-1 DescribeDBInstances 200 rds/DescribeDBInstances.xml")
	var rds []inventory.Trigger
	for _, tr := range inv.Triggers {
		if tr.Service == "rds" {
			rds = append(rds, tr)
		}
	}
	if len(rds) != 2 {
		t.Fatalf("rds triggers = %+v, want the cluster's and the instance's Lambda role", rds)
	}
	if db := rds[1]; db.SourceARN != "arn:aws:rds:eu-west-1:123456789012:db:acme-hub-reports" || db.InvokeRole != "arn:aws:iam::123456789012:role/acme-hub-onboarding" || !hasUnknownField(db.Unknown, "target") {
		t.Fatalf("instance trigger = %+v", db)
	}
	tr := rds[0]
	if tr.Kind != "push" || tr.SourceARN != "arn:aws:rds:eu-west-1:123456789012:cluster:acme-hub-db" || tr.InvokeRole != "arn:aws:iam::123456789012:role/acme-hub-onboarding" ||
		!tr.Enabled || tr.FunctionARN != "" || !hasUnknownField(tr.Unknown, "target") {
		t.Fatalf("rds trigger = %+v", tr)
	}
	var invalid bool
	for _, w := range inv.Warnings {
		invalid = invalid || w.Kind == inventory.WarningInvalid && w.Operation == "DescribeDBClusters" && strings.Contains(w.Message, "not-an-arn")
	}
	if !invalid {
		t.Errorf("no warning for the malformed role ARN: %+v", inv.Warnings)
	}
}

// A denied ListFunctionEventInvokeConfigs leaves the function's async
// destinations unknown, and simulate shows an unknown destination flow.
func TestDeniedInvokeConfigsLeaveUnknownDestinations(t *testing.T) {
	inv, _ := collectFake(t, "testdata/thumbnails", Options{},
		"lambda * ListFunctionEventInvokeConfigs 403:AccessDeniedException ../denied/errors/lambda-AccessDenied.json")
	var found bool
	for _, f := range simulate(t, inv).Flows {
		if f.Kind == flow.KindAccess && f.Purpose == "destination" && f.Decision == flow.Unknown &&
			f.Function.ARN == "arn:aws:lambda:eu-west-1:123456789012:function:acme-photos-thumbnail" &&
			strings.Contains(f.Steps[0].Reason, "lambda:ListFunctionEventInvokeConfigs denied") {
			found = true
		}
	}
	if !found {
		t.Fatal("no unknown destination flow for the thumbnail function")
	}
}

// invokerRoutes add to the device-hub account the invokers Terraform has
// no fixture for yet: an SES receipt rule set, AWS Config rules, a
// Firehose stream with a Lambda processor, a VPC Lattice target group, a
// Bedrock agent, a pipeline with Lambda invoke actions, a repository
// trigger, a pipe with a Lambda enrichment and target, a distribution
// with Lambda@Edge, a GraphQL API with a Lambda authorizer and data
// source, a Connect instance with an associated function, and a Lex V2
// bot alias with code hooks per locale, and an Object Lambda access point.
var invokerRoutes = []string{
	"ses eu-west-1 DescribeActiveReceiptRuleSet 200 ses/DescribeActiveReceiptRuleSet.xml",
	"config eu-west-1 DescribeConfigRules 200 config/DescribeConfigRules.json",
	"firehose eu-west-1 ListDeliveryStreams 200 firehose/ListDeliveryStreams.json",
	"firehose eu-west-1 DescribeDeliveryStream[DeliveryStreamName=acme-hub-events] 200 firehose/DescribeDeliveryStream.json",
	"vpc-lattice eu-west-1 ListTargetGroups 200 vpclattice/ListTargetGroups.json",
	"vpc-lattice eu-west-1 ListTargets[targetGroupIdentifier=arn:aws:vpc-lattice:eu-west-1:123456789012:targetgroup/tg-0a1b2c3d4e5f60789] 200 vpclattice/ListTargets.json",
	"bedrock eu-west-1 ListAgents 200 bedrock/ListAgents.json",
	"bedrock eu-west-1 ListAgentActionGroups[agentId=AGENT12345&agentVersion=DRAFT] 200 bedrock/ListAgentActionGroups.json",
	"bedrock eu-west-1 GetAgentActionGroup[agentId=AGENT12345&actionGroupId=AG00000001] 200 bedrock/GetAgentActionGroup.lookup.json",
	"bedrock eu-west-1 GetAgentActionGroup[agentId=AGENT12345&actionGroupId=AG00000002] 200 bedrock/GetAgentActionGroup.ask-user.json",
	"codepipeline eu-west-1 ListPipelines 200 codepipeline/ListPipelines.json",
	"codepipeline eu-west-1 GetPipeline[name=acme-hub-release] 200 codepipeline/GetPipeline.json",
	"codecommit eu-west-1 ListRepositories 200 codecommit/ListRepositories.json",
	"codecommit eu-west-1 GetRepositoryTriggers[repositoryName=acme-hub] 200 codecommit/GetRepositoryTriggers.json",
	"pipes eu-west-1 ListPipes 200 pipes/ListPipes.json",
	"pipes eu-west-1 DescribePipe[Name=acme-hub-orders] 200 pipes/DescribePipe.json",
	"cloudfront * ListDistributions 200 cloudfront/ListDistributions.xml",
	"appsync eu-west-1 ListGraphqlApis 200 appsync/ListGraphqlApis.json",
	"appsync eu-west-1 ListDataSources[apiId=hubapi1234567890] 200 appsync/ListDataSources.json",
	"connect eu-west-1 ListInstances 200 connect/ListInstances.json",
	"connect eu-west-1 ListLambdaFunctions[InstanceId=4f8e2c1a-0000-4000-8000-000000000001] 200 connect/ListLambdaFunctions.json",
	"lex eu-west-1 ListBots 200 lex/ListBots.json",
	"s3 eu-west-1 ListAccessPointsForObjectLambda 200 s3control/ListAccessPointsForObjectLambda.xml",
	"s3 eu-west-1 GetAccessPointConfigurationForObjectLambda[Name=acme-hub-redact] 200 s3control/GetAccessPointConfigurationForObjectLambda.xml",
	"lex eu-west-1 ListBotAliases[botId=HUBBOT0001] 200 lex/ListBotAliases.json",
	"lex eu-west-1 DescribeBotAlias[botId=HUBBOT0001&botAliasId=PRODALIAS1] 200 lex/DescribeBotAlias.json",
	// The pipeline invokes alias live, which has no policy of its own.
	"lambda eu-west-1 GetPolicy[FunctionName=arn:aws:lambda:eu-west-1:123456789012:function:acme-hub-rotate&Qualifier=live] 404:ResourceNotFoundException errors/lambda-ResourceNotFound.json",
}

// Each invoker is read into the trigger the shared contract describes:
// service name, source ARN, target, events, invoke role and enabled state.
func TestMoreInvokerServices(t *testing.T) {
	inv, _ := collectFake(t, "testdata/device-hub", Options{}, invokerRoutes...)
	got := map[string]string{}
	for _, tr := range inv.Triggers {
		switch tr.Service {
		case "ses", "config", "firehose", "vpc_lattice", "bedrock", "codepipeline", "codecommit", "pipes", "cloudfront", "appsync", "connect", "lexv2", "s3_object_lambda":
			got[tr.Address] = strings.Join([]string{tr.Kind, tr.Service, tr.SourceARN, tr.FunctionARN, tr.Qualifier, strings.Join(tr.Events, ","), tr.InvokeRole,
				map[bool]string{true: "enabled", false: "disabled"}[tr.Enabled]}, " | ")
		}
	}
	fn := func(n string) string { return "arn:aws:lambda:eu-west-1:123456789012:function:acme-hub-" + n }
	rule := "arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/acme-hub-inbound:receipt-rule/"
	stream := "arn:aws:firehose:eu-west-1:123456789012:deliverystream/acme-hub-events"
	lattice := "arn:aws:vpc-lattice:eu-west-1:123456789012:targetgroup/tg-0a1b2c3d4e5f60789"
	agent := "arn:aws:bedrock:eu-west-1:123456789012:agent/AGENT12345"
	configRule := "arn:aws:config:eu-west-1:123456789012:config-rule/config-rule-a1b2c3"
	pipeline := "arn:aws:codepipeline:eu-west-1:123456789012:acme-hub-release"
	repo := "arn:aws:codecommit:eu-west-1:123456789012:acme-hub"
	pipe := "arn:aws:pipes:eu-west-1:123456789012:pipe/acme-hub-orders"
	role := func(n string) string { return "arn:aws:iam::123456789012:role/acme-hub-" + n }
	dist := "arn:aws:cloudfront::123456789012:distribution/E1A2B3C4D5E6F7"
	edge := "arn:aws:lambda:us-east-1:123456789012:function:acme-hub-edge"
	graph := "arn:aws:appsync:eu-west-1:123456789012:apis/hubapi1234567890"
	botAlias := "arn:aws:lex:eu-west-1:123456789012:bot-alias/HUBBOT0001/PRODALIAS1"
	objectLambda := "arn:aws:s3-object-lambda:eu-west-1:123456789012:accesspoint/acme-hub-redact"
	instance := "arn:aws:connect:eu-west-1:123456789012:instance/4f8e2c1a-0000-4000-8000-000000000001"
	want := map[string]string{
		rule + "support#action/0": "push | ses | " + rule + "support | " + fn("audit") + " |  | RequestResponse |  | enabled",
		rule + "archive#action/1": "push | ses | " + rule + "archive | " + fn("rotate") + " |  | Event |  | disabled",
		configRule + "#function":  "push | config | " + configRule + " | " + fn("signup") + " |  | ConfigurationItemChangeNotification |  | enabled",
		stream + "#destination/destinationId-000000000001/processor/0": "push | firehose | " + stream + " | " + fn("ingest") + " |  |  | arn:aws:iam::123456789012:role/acme-hub-firehose | enabled",
		lattice + "#target/" + fn("ingest"):                            "push | vpc_lattice | " + lattice + " | " + fn("ingest") + " |  |  |  | enabled",
		agent + "#action-group/lookup":                                 "push | bedrock | " + agent + " | " + fn("audit") + " |  |  |  | enabled",
		pipeline + "#Verify/Smoke":                                     "push | codepipeline | " + pipeline + " | " + fn("audit") + " |  |  | " + role("release") + " | enabled",
		pipeline + "#Verify/Rotate":                                    "push | codepipeline | " + pipeline + " | " + fn("rotate") + " | live |  | " + role("release-rotate") + " | enabled",
		repo + "#trigger/notify-audit":                                 "push | codecommit | " + repo + " | " + fn("audit") + " |  | updateReference,createReference |  | enabled",
		pipe + "#enrichment":                                           "push | pipes | " + pipe + " | " + fn("signup") + " |  |  | " + role("pipe") + " | enabled",
		pipe + "#target":                                               "push | pipes | " + pipe + " | " + fn("ingest") + " |  |  | " + role("pipe") + " | enabled",
		graph + "#authorizer/" + fn("signup"):                          "push | appsync | " + graph + " | " + fn("signup") + " |  | authorizer |  | enabled",
		graph + "#datasource/devices":                                  "push | appsync | " + graph + " | " + fn("ingest") + " |  | data_source | " + role("graph") + " | enabled",
		instance + "#lambda/" + fn("audit"):                            "push | connect | " + instance + " | " + fn("audit") + " |  |  |  | enabled",
		botAlias + "#locale/en_US":                                     "push | lexv2 | " + botAlias + " | " + fn("signup") + " |  | en_US |  | enabled",
		botAlias + "#locale/fr_FR":                                     "push | lexv2 | " + botAlias + " | " + fn("signup") + " |  | fr_FR |  | disabled",
		objectLambda + "#transformation/0":                             "push | s3_object_lambda | " + objectLambda + " | " + fn("audit") + " |  | GetObject,HeadObject |  | enabled",
		dist + "#default/viewer-request":                               "push | cloudfront | " + dist + " | " + edge + " | 7 | viewer-request |  | enabled",
		dist + "#path//api/*/origin-response":                          "push | cloudfront | " + dist + " | " + edge + " | 7 | origin-response |  | enabled",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s:\n  got  %q\n  want %q", k, got[k], v)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected trigger %s = %q", k, v)
		}
	}
	types := map[string]bool{}
	for _, r := range inv.Resources {
		types[r.Type] = true
	}
	for _, typ := range []string{"AWS::SES::ReceiptRule", "AWS::Config::ConfigRule", "AWS::KinesisFirehose::DeliveryStream", "AWS::VpcLattice::TargetGroup", "AWS::Bedrock::Agent",
		"AWS::CodePipeline::Pipeline", "AWS::CodeCommit::Repository", "AWS::Pipes::Pipe", "AWS::CloudFront::Distribution", "AWS::AppSync::GraphQLApi",
		"AWS::Connect::Instance", "AWS::Lex::BotAlias", "AWS::S3ObjectLambda::AccessPoint"} {
		if !types[typ] {
			t.Errorf("no resource of type %s", typ)
		}
	}
}
