package cloudformation

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	catalog "github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

func load(t *testing.T, src string, params map[string]string) *inventory.Inventory {
	t.Helper()
	inv, err := Load(context.Background(), "template.yaml", []byte(src), Options{Account: "111122223333", Region: "eu-west-1",
		Catalog: catalog.Default(), Parameters: params})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range inv.Diags {
		if d.Severity == "error" {
			t.Errorf("%d: %s: %s", d.Line, d.Summary, d.Detail)
		}
	}
	return inv
}

func fn(t *testing.T, inv *inventory.Inventory, addr string) *inventory.Function {
	t.Helper()
	for i := range inv.Functions {
		if inv.Functions[i].Address == addr {
			return &inv.Functions[i]
		}
	}
	t.Fatalf("no function %s in %+v", addr, inv.Functions)
	return nil
}

func role(t *testing.T, inv *inventory.Inventory, addr string) *inventory.Role {
	t.Helper()
	for i := range inv.Roles {
		if inv.Roles[i].Address == addr {
			return &inv.Roles[i]
		}
	}
	t.Fatalf("no role %s", addr)
	return nil
}

const intrinsics = `
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: dev
  Names:
    Type: CommaDelimitedList
    Default: "alpha,beta"
  Unset:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Unsure: !Equals [!Ref Unset, x]
Mappings:
  Sizes:
    dev: {Memory: 256}
    prod: {Memory: 2048}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Join ["-", [app, !Ref Env, !Select [1, !Ref Names]]]
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub
        - "${Base}-${AWS::Region}"
        - Base: !Select [0, !Split [",", "one,two"]]
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !If [IsProd, prod-fn, !Sub "${Env}-fn-${AWS::AccountId}"]
      Role: !GetAtt [Role, Arn]
      Runtime: !If [Unsure, a, b]
      MemorySize: !FindInMap [Sizes, !Ref Env, Memory]
      DeadLetterConfig:
        TargetArn: !GetAtt Queue.Arn
      KmsKeyArn: !ImportValue shared-key-arn
      Handler: !If [NotProd, !Ref "AWS::NoValue", index.handler]
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      EventSourceArn: {"Fn::GetAtt": ["Queue", "Arn"]}
  Gen:
    Type: AWS::SNS::Topic
`

func TestIntrinsics(t *testing.T) {
	inv := load(t, intrinsics, nil)
	f := fn(t, inv, "Fn")
	if f.Name != "dev-fn-111122223333" {
		t.Errorf("If/Sub/pseudo: name %q", f.Name)
	}
	if f.Role != "arn:aws:iam::111122223333:role/one-eu-west-1" {
		t.Errorf("GetAtt list form, Sub with variables, Select/Split: role %q", f.Role)
	}
	if f.DeadLetterTarget != "arn:aws:sqs:eu-west-1:111122223333:app-dev-beta" {
		t.Errorf("Join/Select over a list parameter: %q", f.DeadLetterTarget)
	}
	if f.MemorySize != 256 {
		t.Errorf("FindInMap: memory %d", f.MemorySize)
	}
	if f.Handler != "" {
		t.Errorf("AWS::NoValue: handler %q", f.Handler)
	}
	if f.Runtime != "" {
		t.Errorf("If on an unknown condition must stay unknown, got runtime %q", f.Runtime)
	}
	if f.KMSKeyARN != "<ImportValue.shared-key-arn>" {
		t.Errorf("ImportValue must be a symbol naming the export, got %q", f.KMSKeyARN)
	}
	imported := false
	for _, u := range inv.Unknown {
		imported = imported || (u.Address == "ImportValue shared-key-arn" && u.Line > 0)
	}
	if !imported {
		t.Errorf("ImportValue provenance not reported: %+v", inv.Unknown)
	}
	// Ref of a function is its name; the mapping joins by it.
	found := false
	for _, tr := range inv.Triggers {
		if tr.Service == "sqs" && tr.FunctionARN == f.ARN && tr.SourceARN == f.DeadLetterTarget {
			found = true
		}
	}
	if !found {
		t.Errorf("mapping not joined: %+v", inv.Triggers)
	}
	// A parameter without a value is named in the unknowns.
	unset := false
	for _, u := range inv.Unknown {
		unset = unset || u.Address == "Parameters.Unset"
	}
	if !unset {
		t.Errorf("unset parameter not reported: %+v", inv.Unknown)
	}
	// --parameter overrides the default.
	inv = load(t, intrinsics, map[string]string{"Env": "prod"})
	if f := fn(t, inv, "Fn"); f.Name != "prod-fn" || f.MemorySize != 2048 || f.Handler != "index.handler" {
		t.Errorf("Env=prod: %q %d %q", f.Name, f.MemorySize, f.Handler)
	}
}

func TestGeneratedNamesAreSymbols(t *testing.T) {
	inv := load(t, intrinsics, nil)
	for _, r := range inv.Resources {
		if r.Address == "Gen" {
			if r.ARN != "arn:aws:sns:eu-west-1:111122223333:<Gen.name>" {
				t.Errorf("generated topic name: ARN %q", r.ARN)
			}
			return
		}
	}
	t.Error("topic Gen missing")
}

const sam = `
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
    Environment:
      Variables:
        STAGE: prod
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: news}
  Queue:
    Type: AWS::SQS::Queue
    Properties: {QueueName: work}
  Users:
    Type: AWS::Cognito::UserPool
    Properties: {UserPoolName: users}
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: uploads-bucket}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: worker
      Handler: app.handler
      Timeout: 90
      AutoPublishAlias: live
      Environment:
        Variables: {TABLE: !Ref Table}
      FunctionUrlConfig:
        AuthType: NONE
      Policies:
        - AWSLambdaBasicExecutionRole
        - DynamoDBCrudPolicy:
            TableName: !Ref Table
        - Statement:
            - Effect: Allow
              Action: sns:Publish
              Resource: !Ref Topic
      Events:
        Sns:
          Type: SNS
          Properties:
            Topic: !Ref Topic
            FilterPolicy: {kind: [order]}
        Sqs:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn, BatchSize: 5}
        Stream:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Table.StreamArn, StartingPosition: LATEST}
        Nightly:
          Type: Schedule
          Properties: {Schedule: "rate(1 day)"}
        Bus:
          Type: EventBridgeRule
          Properties:
            Pattern: {source: [acme.orders]}
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Bucket
            Events: [s3:ObjectCreated:*]
        Http:
          Type: Api
          Properties: {Path: "/items/{id}", Method: get}
        Public:
          Type: HttpApi
          Properties: {Path: /open, Method: post}
        Pool:
          Type: Cognito
          Properties: {UserPool: !Ref Users, Trigger: [PreSignUp, PostConfirmation]}
        Alexa:
          Type: AlexaSkill
          Properties: {SkillId: amzn1.ask.skill.0000}
        Future:
          Type: FutureSource
`

func TestSAMFunction(t *testing.T) {
	inv := load(t, sam, nil)
	f := fn(t, inv, "Worker")
	if f.Runtime != "python3.12" || f.Timeout != 90 || !f.Publish {
		t.Errorf("Globals/own values/AutoPublishAlias: %q %d %v", f.Runtime, f.Timeout, f.Publish)
	}
	keys := map[string]bool{}
	for _, e := range f.Environment {
		keys[e.Key] = true
	}
	if !keys["STAGE"] || !keys["TABLE"] {
		t.Errorf("environment not merged with Globals: %+v", f.Environment)
	}
	if f.Line != 29 {
		t.Errorf("function line %d, want 29", f.Line)
	}
	r := role(t, inv, "WorkerRole")
	if f.Role != r.ARN || !strings.Contains(r.ARN, "<WorkerRole.name>") {
		t.Errorf("generated role: function role %q, role ARN %q", f.Role, r.ARN)
	}
	var attached []string
	for _, p := range r.AttachedPolicies {
		attached = append(attached, p.Name)
	}
	if strings.Join(attached, ",") != "AWSLambdaBasicExecutionRole,AWSLambdaSQSQueueExecutionRole,AWSLambdaDynamoDBExecutionRole" {
		t.Errorf("managed policies %v", attached)
	}
	docs := ""
	for _, p := range r.InlinePolicies {
		docs += string(p.Document)
	}
	if !strings.Contains(docs, `"dynamodb:PutItem"`) || !strings.Contains(docs, "arn:aws:dynamodb:eu-west-1:111122223333:table/orders") {
		t.Errorf("policy template DynamoDBCrudPolicy not expanded: %s", docs)
	}
	if !strings.Contains(docs, `"arn:aws:sns:eu-west-1:111122223333:news"`) {
		t.Errorf("inline statement: %s", docs)
	}
	if len(f.Aliases) != 1 || f.Aliases[0].Name != "live" {
		t.Errorf("alias %+v", f.Aliases)
	}
	if len(f.URLs) != 1 || f.URLs[0].AuthType != "NONE" || f.URLs[0].Qualifier != "live" {
		t.Errorf("url %+v", f.URLs)
	}
	services := map[string]string{}
	for _, tr := range inv.Triggers {
		if tr.FunctionARN == f.ARN {
			services[tr.Service] = tr.Qualifier
		}
	}
	for _, s := range []string{"sns", "sqs", "dynamodb", "schedule", "eventbridge", "s3", "function_url"} {
		q, ok := services[s]
		if !ok {
			t.Errorf("no %s trigger; have %v", s, services)
		} else if s != "function_url" && q != "live" {
			t.Errorf("%s trigger targets qualifier %q, want the alias", s, q)
		}
	}
	var rest, http string
	for _, tr := range inv.Triggers {
		switch tr.Service {
		case "apigateway":
			rest = tr.SourceARN + " " + strings.Join(tr.Events, ",")
		case "apigatewayv2":
			http = tr.SourceARN + " " + strings.Join(tr.Events, ",")
		}
	}
	if rest != "arn:aws:execute-api:eu-west-1:111122223333:<ServerlessRestApi.id>/Prod/GET/items/{id} GET /items/{id}" {
		t.Errorf("implicit REST API trigger: %q", rest)
	}
	if http != "arn:aws:execute-api:eu-west-1:111122223333:<ServerlessHttpApi.id>/$default/POST/open POST /open" {
		t.Errorf("implicit HTTP API trigger: %q", http)
	}
	var cognito []string
	for _, tr := range inv.Triggers {
		if tr.Service == "cognito" && tr.FunctionARN == f.ARN && tr.SourceARN == "arn:aws:cognito-idp:eu-west-1:111122223333:userpool/<Users.id>" {
			cognito = append(cognito, tr.Events...)
		}
	}
	sort.Strings(cognito)
	if strings.Join(cognito, ",") != "post_confirmation,pre_sign_up" {
		t.Errorf("Cognito event triggers %v", cognito)
	}
	future := false
	for _, u := range inv.Unknown {
		future = future || (u.Address == "WorkerFuture" && strings.Contains(u.Reason, "FutureSource"))
	}
	if !future {
		t.Errorf("unmodelled event type not reported: %+v", inv.Unknown)
	}
}

func TestErrors(t *testing.T) {
	for _, src := range []string{"[1, 2]", "Resources: [", "AWSTemplateFormatVersion: x\n"} {
		if _, err := Load(context.Background(), "t.yaml", []byte(src), Options{}); err == nil {
			t.Errorf("%q: no error", src)
		}
	}
	inv, err := Load(context.Background(), "t.yaml", []byte("Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !Ref Missing\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Diags) == 0 || inv.Diags[0].Line != 5 || inv.Diags[0].Severity != "error" {
		t.Errorf("unresolved Ref: diags %+v, want an error at line 5", inv.Diags)
	}
	inv, err = Load(context.Background(), "t.yaml", []byte("Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: {\"Fn::Future\": [1]}\n      Handler: !Sub [1, 2, 3]\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Diags) != 2 || inv.Diags[0].Severity != "warning" || inv.Diags[1].Severity != "error" || inv.Diags[1].Line != 6 {
		t.Errorf("unknown function is a warning, a malformed known one an error: %+v", inv.Diags)
	}
}

func TestSamConfigParameters(t *testing.T) {
	got := SamConfigParameters([]byte(`version = 0.1
[default.deploy.parameters]
stack_name = "x"
parameter_overrides = "Env=\"prod stage\" Size=3"
[other.deploy.parameters]
parameter_overrides = "Env=other"
`))
	b, _ := json.Marshal(got)
	if string(b) != `{"Env":"prod stage","Size":"3"}` {
		t.Errorf("got %s", b)
	}
}

func TestDetect(t *testing.T) {
	for src, want := range map[string]bool{
		"Resources:\n  X:\n    Type: AWS::SQS::Queue\n":            true,
		`{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}`: true,
		"Transform: AWS::Serverless-2016-10-31\nResources: {}\n":   true,
		`{"schema":1}`: false,
		"a: b\n":       false,
	} {
		if Detect([]byte(src)) != want {
			t.Errorf("Detect(%q) != %v", src, want)
		}
	}
}

func TestGlobalsOverriddenByNoValue(t *testing.T) {
	inv := load(t, `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Environment: {Variables: {A: "1"}}
Resources:
  Plain:
    Type: AWS::Serverless::Function
    Properties: {FunctionName: plain, Handler: a.b}
  Bare:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: bare
      Handler: a.b
      Runtime: !Ref AWS::NoValue
      Environment: !Ref AWS::NoValue
`, nil)
	if f := fn(t, inv, "Plain"); f.Runtime != "python3.12" || len(f.Environment) != 1 {
		t.Errorf("Globals not applied: %q %+v", f.Runtime, f.Environment)
	}
	if f := fn(t, inv, "Bare"); f.Runtime != "" || len(f.Environment) != 0 {
		t.Errorf("AWS::NoValue must remove the global value: %q %+v", f.Runtime, f.Environment)
	}
}
