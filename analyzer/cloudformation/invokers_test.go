package cloudformation

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

const invokers = `
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: worker
      Role: arn:aws:iam::111122223333:role/worker
  Rule:
    Type: AWS::SES::ReceiptRule
    Properties:
      RuleSetName: inbound
      Rule:
        Name: to-lambda
        Enabled: true
        Actions:
          - S3Action: {BucketName: mail}
          - LambdaAction: {FunctionArn: !GetAtt Fn.Arn, InvocationType: RequestResponse}
  OffRule:
    Type: AWS::SES::ReceiptRule
    Properties:
      RuleSetName: inbound
      Rule:
        Name: off
        Actions:
          - LambdaAction: {FunctionArn: !GetAtt Fn.Arn}
  Check:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: tags
      Source:
        Owner: CUSTOM_LAMBDA
        SourceIdentifier: !GetAtt Fn.Arn
  Managed:
    Type: AWS::Config::ConfigRule
    Properties:
      Source: {Owner: AWS, SourceIdentifier: S3_BUCKET_VERSIONING_ENABLED}
  Seed:
    Type: Custom::Seed
    Properties:
      ServiceToken: !GetAtt Fn.Arn
  Notify:
    Type: AWS::CloudFormation::CustomResource
    Properties:
      ServiceToken: arn:aws:sns:eu-west-1:111122223333:cfn
  Imported:
    Type: Custom::Imported
    Properties:
      ServiceToken: !ImportValue shared-provider
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultCacheBehavior:
          LambdaFunctionAssociations:
            - {EventType: viewer-request, LambdaFunctionARN: !Sub "${Fn.Arn}:3"}
        CacheBehaviors:
          - PathPattern: /api/*
            LambdaFunctionAssociations:
              - {EventType: origin-response, LambdaFunctionARN: arn:aws:lambda:us-east-1:111122223333:function:edge:7}
  Agent:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: helper
      ActionGroups:
        - ActionGroupName: UserInput
          ParentActionGroupSignature: AMAZON.UserInput
        - ActionGroupName: orders
          ActionGroupExecutor: {Lambda: !GetAtt Fn.Arn}
        - ActionGroupName: paused
          ActionGroupState: DISABLED
          ActionGroupExecutor: {Lambda: !GetAtt Fn.Arn}
  Stream:
    Type: AWS::KinesisFirehose::DeliveryStream
    Properties:
      DeliveryStreamName: clicks
      ExtendedS3DestinationConfiguration:
        BucketARN: arn:aws:s3:::clicks
        RoleARN: arn:aws:iam::111122223333:role/firehose
        ProcessingConfiguration:
          Enabled: true
          Processors:
            - Type: Lambda
              Parameters:
                - {ParameterName: LambdaArn, ParameterValue: !Sub "${Fn.Arn}:$LATEST"}
  Redact:
    Type: AWS::S3ObjectLambda::AccessPoint
    Properties:
      Name: redacted
      ObjectLambdaConfiguration:
        SupportingAccessPoint: arn:aws:s3:eu-west-1:111122223333:accesspoint/raw
        TransformationConfigurations:
          - Actions: [GetObject]
            ContentTransformation: {AwsLambda: {FunctionArn: !GetAtt Fn.Arn}}
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      DBClusterIdentifier: Orders
      Engine: aurora-postgresql
      AssociatedRoles:
        - {FeatureName: s3Import, RoleArn: arn:aws:iam::111122223333:role/s3}
        - {FeatureName: Lambda, RoleArn: arn:aws:iam::111122223333:role/aurora}
  Pg:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: Reports
      Engine: postgres
      AssociatedRoles:
        - {FeatureName: Lambda, RoleArn: arn:aws:iam::111122223333:role/aurora}
  Plain:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres}
  Lattice:
    Type: AWS::VpcLattice::TargetGroup
    Properties:
      Type: LAMBDA
      Targets: [{Id: !GetAtt Fn.Arn}]
  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: orders
      AuthenticationType: AWS_LAMBDA
      LambdaAuthorizerConfig: {AuthorizerUri: !GetAtt Fn.Arn}
  Source:
    Type: AWS::AppSync::DataSource
    Properties:
      ApiId: !GetAtt Api.ApiId
      Name: orders
      Type: AWS_LAMBDA
      ServiceRoleArn: arn:aws:iam::111122223333:role/appsync
      LambdaConfig: {LambdaFunctionArn: !GetAtt Fn.Arn}
  Deploy:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Name: release
      RoleArn: arn:aws:iam::111122223333:role/pipeline
      Stages:
        - Name: Source
          Actions:
            - Name: Pull
              ActionTypeId: {Category: Source, Owner: AWS, Provider: S3, Version: "1"}
        - Name: Check
          Actions:
            - Name: Smoke
              ActionTypeId: {Category: Invoke, Owner: AWS, Provider: Lambda, Version: "1"}
              Configuration: {FunctionName: !Ref Fn}
  Pipe:
    Type: AWS::Pipes::Pipe
    Properties:
      Name: enrich
      RoleArn: arn:aws:iam::111122223333:role/pipe
      Source: arn:aws:sqs:eu-west-1:111122223333:in
      Enrichment: !GetAtt Fn.Arn
      Target: arn:aws:sqs:eu-west-1:111122223333:out
  Center:
    Type: AWS::Connect::Instance
    Properties:
      IdentityManagementType: CONNECT_MANAGED
  Assoc:
    Type: AWS::Connect::IntegrationAssociation
    Properties:
      InstanceId: !GetAtt Center.Arn
      IntegrationType: LAMBDA_FUNCTION
      IntegrationArn: !GetAtt Fn.Arn
  Bot:
    Type: AWS::Lex::Bot
    Properties:
      Name: orders
      TestBotAliasSettings:
        BotAliasLocaleSettings:
          - LocaleId: en_US
            BotAliasLocaleSetting:
              Enabled: true
              CodeHookSpecification: {LambdaCodeHook: {LambdaArn: !GetAtt Fn.Arn, CodeHookInterfaceVersion: "1.0"}}
  Alias:
    Type: AWS::Lex::BotAlias
    Properties:
      BotId: !Ref Bot
      BotAliasName: live
      BotAliasLocaleSettings:
        - LocaleId: en_GB
          BotAliasLocaleSetting:
            Enabled: false
            CodeHookSpecification: {LambdaCodeHook: {LambdaArn: !GetAtt Fn.Arn, CodeHookInterfaceVersion: "1.0"}}
  Repo:
    Type: AWS::CodeCommit::Repository
    Properties:
      RepositoryName: app
      Triggers:
        - {Name: mail, DestinationArn: arn:aws:sns:eu-west-1:111122223333:commits, Events: [all]}
        - {Name: build, DestinationArn: !GetAtt Fn.Arn, Events: [updateReference, createReference]}
  Rotation:
    Type: AWS::SecretsManager::RotationSchedule
    Properties:
      SecretId: !Ref Secret
      RotationLambdaARN: !GetAtt Fn.Arn
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: db
  Detector:
    Type: AWS::IoTEvents::DetectorModel
  DeviceAuth:
    Type: AWS::IoT::Authorizer
    Properties:
      AuthorizerFunctionArn: !GetAtt Fn.Arn
      Status: ACTIVE
  Nested:
    Type: AWS::CloudFormation::Stack
`

// Each CloudFormation type that invokes a function yields its triggers in
// the shape every source gives them.
func TestInvokerTriggers(t *testing.T) {
	inv := load(t, invokers, nil)
	const fnARN = "arn:aws:lambda:eu-west-1:111122223333:function:worker"
	type want struct {
		service, source, function, qualifier, role string
		enabled                                    bool
		events                                     []string
		unknown                                    []string // fields
	}
	cases := map[string]want{
		"Rule.Actions[1]": {service: "ses", source: "arn:aws:ses:eu-west-1:111122223333:receipt-rule-set/inbound:receipt-rule/to-lambda",
			function: fnARN, enabled: true, events: []string{"RequestResponse"}, unknown: []string{"enabled"}},
		"OffRule.Actions[0]": {service: "ses", source: "arn:aws:ses:eu-west-1:111122223333:receipt-rule-set/inbound:receipt-rule/off",
			function: fnARN, enabled: false, events: []string{"Event"}},
		"Check": {service: "config", source: "arn:aws:config:eu-west-1:111122223333:config-rule/config-rule-<Check.config_rule_id>",
			function: fnARN, enabled: true},
		"Seed": {service: "cloudformation", source: "arn:aws:cloudformation:eu-west-1:111122223333:stack/<AWS.StackName>/<AWS.StackUUID>",
			function: fnARN, enabled: true, events: []string{"Create", "Update", "Delete"}, unknown: []string{"invoke_role"}},
		"Cdn.DefaultCacheBehavior.LambdaFunctionAssociations[0]": {service: "cloudfront", source: "arn:aws:cloudfront::111122223333:distribution/<Cdn.id>",
			function: fnARN, qualifier: "3", enabled: true, events: []string{"viewer-request"}},
		"Cdn.CacheBehaviors[0].LambdaFunctionAssociations[0]": {service: "cloudfront", source: "arn:aws:cloudfront::111122223333:distribution/<Cdn.id>",
			function: "arn:aws:lambda:us-east-1:111122223333:function:edge", qualifier: "7", enabled: true, events: []string{"origin-response"}},
		"Agent.ActionGroups[1]": {service: "bedrock", source: "arn:aws:bedrock:eu-west-1:111122223333:agent/<Agent.agent_id>", function: fnARN, enabled: true},
		"Agent.ActionGroups[2]": {service: "bedrock", source: "arn:aws:bedrock:eu-west-1:111122223333:agent/<Agent.agent_id>", function: fnARN, enabled: false},
		"Stream.ExtendedS3DestinationConfiguration.Processors[0]": {service: "firehose", source: "arn:aws:firehose:eu-west-1:111122223333:deliverystream/clicks",
			function: fnARN, qualifier: "$LATEST", role: "arn:aws:iam::111122223333:role/firehose", enabled: true},
		"Redact.TransformationConfigurations[0]": {service: "s3_object_lambda", source: "arn:aws:s3-object-lambda:eu-west-1:111122223333:accesspoint/redacted",
			function: fnARN, enabled: true, events: []string{"GetObject"}},
		// The function is chosen in SQL: the simulator decides one flow
		// per function the role may invoke (docs/flows.md).
		"Db.AssociatedRoles[1]": {service: "rds", source: "arn:aws:rds:eu-west-1:111122223333:cluster:orders",
			role: "arn:aws:iam::111122223333:role/aurora", enabled: true},
		"Pg.AssociatedRoles[0]": {service: "rds", source: "arn:aws:rds:eu-west-1:111122223333:db:reports",
			role: "arn:aws:iam::111122223333:role/aurora", enabled: true, unknown: []string{"target"}},
		"Lattice.Targets[0]": {service: "vpc_lattice", source: "arn:aws:vpc-lattice:eu-west-1:111122223333:targetgroup/<Lattice.id>", function: fnARN, enabled: true},
		"Api.LambdaAuthorizerConfig": {service: "appsync", source: "arn:aws:appsync:eu-west-1:111122223333:apis/<Api.api_id>",
			function: fnARN, enabled: true, events: []string{"authorizer"}},
		"Source": {service: "appsync", source: "arn:aws:appsync:eu-west-1:111122223333:apis/<Api.api_id>", function: fnARN,
			role: "arn:aws:iam::111122223333:role/appsync", enabled: true},
		"Deploy.Stages[1].Actions[0]": {service: "codepipeline", source: "arn:aws:codepipeline:eu-west-1:111122223333:release", function: fnARN,
			role: "arn:aws:iam::111122223333:role/pipeline", enabled: true},
		"Pipe.Enrichment": {service: "pipes", source: "arn:aws:pipes:eu-west-1:111122223333:pipe/enrich", function: fnARN,
			role: "arn:aws:iam::111122223333:role/pipe", enabled: true, events: []string{"enrichment"}},
		"Assoc": {service: "connect", source: "arn:aws:connect:eu-west-1:111122223333:instance/<Center.id>", function: fnARN, enabled: true},
		"Bot.TestBotAliasSettings.BotAliasLocaleSettings[0]": {service: "lexv2", source: "arn:aws:lex:eu-west-1:111122223333:bot-alias/<Bot.id>/TSTALIASID",
			function: fnARN, enabled: true, events: []string{"en_US"}},
		"Alias.BotAliasLocaleSettings[0]": {service: "lexv2", source: "arn:aws:lex:eu-west-1:111122223333:bot-alias/<Bot.id>/<Alias.bot_alias_id>",
			function: fnARN, enabled: false, events: []string{"en_GB"}},
		"Repo.Triggers[1]": {service: "codecommit", source: "arn:aws:codecommit:eu-west-1:111122223333:app", function: fnARN, enabled: true,
			events: []string{"createReference", "updateReference"}},
		"DeviceAuth": {service: "unmodelled", function: fnARN, enabled: true, events: []string{"AWS::IoT::Authorizer"}, unknown: []string{"kind"}},
		"Rotation": {service: "secretsmanager", source: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-<Secret.suffix>", function: fnARN,
			enabled: true, events: []string{"rotation"}},
	}
	got := map[string]inventory.Trigger{}
	for _, tr := range inv.Triggers {
		if _, dup := got[tr.Address]; dup {
			t.Errorf("two triggers at %s", tr.Address)
		}
		got[tr.Address] = tr
	}
	for addr, w := range cases {
		t.Run(addr, func(t *testing.T) {
			tr, ok := got[addr]
			if !ok {
				t.Fatalf("no trigger; have %v", keys(got))
			}
			var unknown []string
			for _, u := range tr.Unknown {
				unknown = append(unknown, u.Field)
			}
			if tr.Kind != "push" || tr.Service != w.service || tr.SourceARN != w.source || tr.FunctionARN != w.function ||
				tr.Qualifier != w.qualifier || tr.InvokeRole != w.role || tr.Enabled != w.enabled ||
				!reflect.DeepEqual(tr.Events, w.events) || !reflect.DeepEqual(unknown, w.unknown) {
				t.Errorf("got %+v\nwant %+v", tr, w)
			}
			if w.function == fnARN && tr.FunctionAddress != "Fn" {
				t.Errorf("function address %q", tr.FunctionAddress)
			}
			if tr.Line == 0 || tr.File == "" {
				t.Errorf("no position: %+v", tr.Origin)
			}
		})
	}
	for addr, tr := range got {
		if _, ok := cases[addr]; !ok {
			t.Errorf("unexpected trigger %s: %+v", addr, tr)
		}
	}
	// Never silent: what is not modelled, or not known, is named.
	for _, addr := range []string{"Detector", "Nested", "Imported"} {
		found := false
		for _, u := range inv.Unknown {
			found = found || u.Address == addr && u.Line > 0
		}
		if !found {
			t.Errorf("%s not named in the unknowns: %+v", addr, inv.Unknown)
		}
	}
	for _, u := range inv.Unknown {
		if u.Address == "Detector" && !strings.Contains(u.Reason, "AWS::IoTEvents::DetectorModel") {
			t.Errorf("the unknown does not name the type: %s", u.Reason)
		}
	}
	warned := map[string]bool{}
	for _, d := range inv.Diags {
		if d.Severity == "warning" && strings.HasPrefix(d.Summary, "Lambda invoker not modelled: ") {
			warned[strings.TrimPrefix(d.Summary, "Lambda invoker not modelled: ")] = d.Line > 0
		}
	}
	if !warned["AWS::IoT::Authorizer"] || !warned["AWS::IoTEvents::DetectorModel"] || !warned["AWS::CloudFormation::Stack"] {
		t.Errorf("unmodelled invokers not warned about: %v", warned)
	}
}

// A permission that names the source with Fn::GetAtt joins with the
// trigger: both use the same identifiers.
func TestInvokerSourceJoinsPermission(t *testing.T) {
	src := invokers + `
  AgentPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: bedrock.amazonaws.com
      SourceArn: !GetAtt Agent.AgentArn
  StreamPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: vpc-lattice.amazonaws.com
      SourceArn: !GetAtt Lattice.Arn
`
	inv := load(t, src, nil)
	f := fn(t, inv, "Fn")
	sources := map[string]string{}
	for _, p := range f.Permissions {
		sources[p.Principal] = p.SourceARN
	}
	want := map[string]string{}
	for _, tr := range inv.Triggers {
		if tr.Service == "bedrock" || tr.Service == "vpc_lattice" {
			want[map[string]string{"bedrock": "bedrock.amazonaws.com", "vpc_lattice": "vpc-lattice.amazonaws.com"}[tr.Service]] = tr.SourceARN
		}
	}
	if len(want) != 2 || !reflect.DeepEqual(sources, want) {
		t.Errorf("permission sources %v, trigger sources %v", sources, want)
	}
}

func keys(m map[string]inventory.Trigger) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// CodeDeploy's traffic hooks invoke functions; that is named, not dropped.
// A DeploymentPreference hook is a trigger CodeDeploy invokes with the
// service role SAM generates (trusting CodeDeploy, with the managed
// policy AWSCodeDeployRoleForLambda).
func TestDeploymentHooksAreTriggers(t *testing.T) {
	inv := load(t, `
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Linear10PercentEvery1Minute
        Hooks: {PreTraffic: !Ref Check}
  Check:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: a.h, CodeUri: .}
`, nil)
	r := role(t, inv, "CodeDeployServiceRole")
	if r.TrustPolicy == nil || !strings.Contains(string(r.TrustPolicy.Document), "codedeploy.amazonaws.com") ||
		len(r.AttachedPolicies) != 1 || !strings.HasSuffix(r.AttachedPolicies[0].ARN, "service-role/AWSCodeDeployRoleForLambda") {
		t.Fatalf("CodeDeployServiceRole: trust %+v, attached %+v", r.TrustPolicy, r.AttachedPolicies)
	}
	for _, tr := range inv.Triggers {
		if tr.Service == "codedeploy" {
			if tr.Address != "Fn.DeploymentPreference.Hooks.PreTraffic" || tr.InvokeRole != r.ARN || tr.FunctionARN != fn(t, inv, "Check").ARN ||
				len(tr.Events) != 1 || tr.Events[0] != "PreTraffic" || tr.Line == 0 {
				t.Errorf("hook trigger %+v", tr)
			}
			return
		}
	}
	t.Errorf("no codedeploy trigger in %+v", inv.Triggers)
}
