package cloudformation

import (
	"strings"
	"testing"
)

// A SAM state machine without a Role gets the role SAM generates for it,
// <Id>Role, trusting Step Functions and holding the state machine's
// Policies; its Lambda task is a trigger that invokes with that role.
func TestSAMStateMachineGeneratedRole(t *testing.T) {
	const src = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Work
        States:
          Work:
            Type: Task
            Resource: !GetAtt Worker.Arn
            End: true
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref Worker
        - AWSXrayWriteOnlyAccess
`
	inv := load(t, src, nil)
	r := role(t, inv, "FlowRole")
	if r.TrustPolicy == nil || !strings.Contains(string(r.TrustPolicy.Document), "states.amazonaws.com") {
		t.Fatalf("trust %+v", r.TrustPolicy)
	}
	if len(r.InlinePolicies) != 1 || !strings.Contains(string(r.InlinePolicies[0].Document), "lambda:InvokeFunction") {
		t.Errorf("inline policies %+v", r.InlinePolicies)
	}
	if len(r.AttachedPolicies) != 1 || !strings.HasSuffix(r.AttachedPolicies[0].ARN, "policy/AWSXrayWriteOnlyAccess") {
		t.Errorf("attached policies %+v", r.AttachedPolicies)
	}
	found := false
	for _, tr := range inv.Triggers {
		if tr.Service == "sfn" {
			found = true
			if tr.InvokeRole != r.ARN || !strings.HasSuffix(tr.FunctionARN, ":function:"+fn(t, inv, "Worker").Name) {
				t.Errorf("sfn trigger %+v, want invoke role %s", tr, r.ARN)
			}
		}
	}
	if !found {
		t.Fatalf("no sfn trigger in %+v", inv.Triggers)
	}
	for _, u := range inv.Unknown {
		if u.Address == "Flow" {
			t.Errorf("state machine still unknown: %s", u.Reason)
		}
	}
}

// DefinitionSubstitutions fill ${Key} in the definition before its tasks
// are read, as Step Functions does at deploy time.
func TestStateMachineDefinitionSubstitutions(t *testing.T) {
	const src = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Work
        States:
          Work:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters:
              FunctionName: "${WorkerArn}"
            End: true
      DefinitionSubstitutions:
        WorkerArn: !GetAtt Worker.Arn
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref Worker
`
	inv := load(t, src, nil)
	want := fn(t, inv, "Worker").ARN
	for _, tr := range inv.Triggers {
		if tr.Service == "sfn" {
			if tr.FunctionARN != want {
				t.Errorf("sfn trigger targets %q, want %q", tr.FunctionARN, want)
			}
			return
		}
	}
	t.Fatalf("no sfn trigger: the substitution was not applied; triggers %+v", inv.Triggers)
}

// A Ref to the implicit API SAM makes for a function's Api event resolves
// wherever it is written, before or after the function.
func TestRefToImplicitAPI(t *testing.T) {
	inv := load(t, `
Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition: {StartAt: A, States: {A: {Type: Task, Resource: "arn:aws:states:::apigateway:invoke", Parameters: {ApiEndpoint: "${Endpoint}"}, End: true}}}
      DefinitionSubstitutions:
        Endpoint: !Sub "${ServerlessRestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
      Role: arn:aws:iam::111122223333:role/flow
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
      Events:
        Get: {Type: Api, Properties: {Path: /, Method: GET}}
`, nil)
	for _, d := range inv.Diags {
		if strings.Contains(d.Summary, "Unresolved") {
			t.Errorf("%d: %s: %s", d.Line, d.Summary, d.Detail)
		}
	}
}
