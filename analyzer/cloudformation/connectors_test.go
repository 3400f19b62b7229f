package cloudformation

import (
	"encoding/json"
	"reflect"
	"sort"
	"testing"
)

const connectors = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
    Connectors:
      ToStore:
        Properties:
          Destination: [{Id: Bucket}, {Id: Queue}]
          Permissions: [Read, Write]
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: store}
  Queue:
    Type: AWS::SQS::Queue
    Properties: {QueueName: work}
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: news}
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: plain
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
  Plain:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: plain, Role: !GetAtt Role.Arn, Runtime: python3.12, Handler: a.h}
  TopicToPlain:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Topic}
      Destination: {Id: Plain}
      Permissions: [Write]
  QueueToPlain:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Queue}
      Destination: {Id: Plain}
      Permissions: [Read, Write]
  Table:
    Type: AWS::DynamoDB::Table
    Properties: {TableName: t}
  PlainToTable:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Plain}
      Destination: {Type: AWS::DynamoDB::Table, Arn: !GetAtt Table.Arn}
      Permissions: [Read]
  TopicToQueue:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Topic}
      Destination: {Id: Queue}
      Permissions: [Write]
`

// grants lists a role's attached policy statements as "action resource".
func grants(t *testing.T, docs [][]byte) []string {
	t.Helper()
	var out []string
	for _, d := range docs {
		var doc struct {
			Statement []struct {
				Action   []string
				Resource []string
			}
		}
		if err := json.Unmarshal(d, &doc); err != nil {
			t.Fatal(err)
		}
		for _, s := range doc.Statement {
			for _, a := range s.Action {
				for _, r := range s.Resource {
					out = append(out, a+" "+r)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// SAM connectors become the policies and permissions SAM generates for
// them, on the role of the side that acts.
func TestConnectors(t *testing.T) {
	inv := load(t, connectors, nil)
	const sqs = "arn:aws:sqs:eu-west-1:111122223333:work"
	cases := []struct {
		role, policy string
		want         []string
	}{
		{"Role", "<QueueToPlainPolicy.name>", []string{"sqs:DeleteMessage " + sqs, "sqs:GetQueueAttributes " + sqs, "sqs:ReceiveMessage " + sqs}},
		{"Role", "<PlainToTablePolicy.name>", []string{"dynamodb:BatchGetItem arn:aws:dynamodb:eu-west-1:111122223333:table/t",
			"dynamodb:BatchGetItem arn:aws:dynamodb:eu-west-1:111122223333:table/t/index/*"}},
		{"WorkerRole", "<WorkerToStorePolicyDestination0.name>", []string{"s3:PutObject arn:aws:s3:::store/*", "s3:GetObject arn:aws:s3:::store/*"}},
		{"WorkerRole", "<WorkerToStorePolicyDestination1.name>", []string{"sqs:ChangeMessageVisibility " + sqs, "sqs:DeleteMessage " + sqs,
			"sqs:GetQueueAttributes " + sqs, "sqs:PurgeQueue " + sqs, "sqs:ReceiveMessage " + sqs, "sqs:SendMessage " + sqs}},
	}
	for _, c := range cases {
		t.Run(c.policy, func(t *testing.T) {
			r := role(t, inv, c.role)
			var docs [][]byte
			for _, p := range r.AttachedPolicies {
				if p.Name == c.policy {
					docs = append(docs, p.Document)
				}
			}
			if len(docs) != 1 {
				t.Fatalf("policy %s attached %d times to %s", c.policy, len(docs), c.role)
			}
			got := grants(t, docs)
			if len(c.want) == len(got) {
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("got %q, want %q", got, c.want)
				}
				return
			}
			have := map[string]bool{}
			for _, g := range got {
				have[g] = true
			}
			for _, w := range c.want {
				if !have[w] {
					t.Errorf("missing %s in %q", w, got)
				}
			}
		})
	}
	// Topic → function: a permission for SNS pinned to the topic.
	f := fn(t, inv, "Plain")
	if len(f.Permissions) != 1 || f.Permissions[0].Principal != "sns.amazonaws.com" || f.Permissions[0].SourceARN != "arn:aws:sns:eu-west-1:111122223333:news" ||
		f.Permissions[0].Address != "TopicToPlainWriteLambdaPermission" {
		t.Errorf("permissions %+v", f.Permissions)
	}
	// A pair without a function is named, not dropped.
	named := false
	for _, u := range inv.Unknown {
		named = named || u.Address == "TopicToQueue" && u.Line > 0
	}
	if !named {
		t.Errorf("unmodelled connector not named: %+v", inv.Unknown)
	}
}
