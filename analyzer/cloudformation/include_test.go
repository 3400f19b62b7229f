package cloudformation

import (
	"context"
	"errors"
	"strings"
	"testing"

	catalog "github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

const includeTemplate = `
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
      DefinitionUri: statemachine/flow.asl.json
      DefinitionSubstitutions:
        WorkerArn: !GetAtt Worker.Arn
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref Worker
  FromFile:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionUri: api/openapi.yaml
  Included:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: api/included.yaml
  Missing:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionUri: api/missing.yaml
`

const openAPI = `
openapi: "3.0.1"
paths:
  /items:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:items/invocations
`

const includedAPI = `
openapi: "3.0.1"
paths:
  /work:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Worker.Arn}/invocations"
`

func TestDefinitionsInFiles(t *testing.T) {
	files := map[string]string{
		"statemachine/flow.asl.json": `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"${WorkerArn}"},"End":true}}}`,
		"api/openapi.yaml":           openAPI,
		"api/included.yaml":          includedAPI,
	}
	var asked []string
	inv, err := Load(context.Background(), "template.yaml", []byte(includeTemplate), Options{Account: "111122223333", Region: "eu-west-1", Catalog: catalog.Default(),
		ReadFile: func(rel string) ([]byte, error) {
			asked = append(asked, rel)
			if s, ok := files[rel]; ok {
				return []byte(s), nil
			}
			return nil, errors.New("no such file")
		}})
	if err != nil {
		t.Fatal(err)
	}
	worker := fn(t, inv, "Worker").ARN
	got := map[string]inventory.Trigger{}
	for _, tr := range inv.Triggers {
		got[tr.Service+" "+strings.Join(tr.Events, ",")] = tr
	}
	if tr, ok := got["sfn "]; !ok || tr.FunctionARN != worker {
		t.Errorf("state machine from its DefinitionUri file: %+v (triggers %v)", tr, keys(got))
	}
	if tr, ok := got["apigateway GET /items"]; !ok || tr.FunctionARN != "arn:aws:lambda:eu-west-1:111122223333:function:items" || tr.Line == 0 {
		t.Errorf("route from the DefinitionUri file: %+v (triggers %v)", tr, keys(got))
	}
	if tr, ok := got["apigateway POST /work"]; !ok || tr.FunctionARN != worker {
		t.Errorf("route from the AWS::Include file: %+v (triggers %v)", tr, keys(got))
	}
	missing := false
	for _, u := range inv.Unknown {
		if u.Address == "Missing" && strings.Contains(u.Reason, "api/missing.yaml could not be read") {
			missing = true
		}
	}
	if !missing {
		t.Errorf("the unreadable definition is not named: %+v", inv.Unknown)
	}
	// Without a reader, files are named, never read.
	inv = load(t, includeTemplate, nil)
	n := 0
	for _, u := range inv.Unknown {
		if strings.Contains(u.Reason, "is in the file") {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d unknowns name an unread file, want 4: %+v", n, inv.Unknown)
	}
}

// A key given twice is a warning at its line; the first is read.
func TestDuplicateKeysWarn(t *testing.T) {
	inv := load(t, `
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Runtime: nodejs22.x
      Handler: a.h
      CodeUri: .
`, nil)
	found := false
	for _, d := range inv.Diags {
		if d.Summary == "Duplicate key" && d.Line == 8 && d.Severity == "warning" && strings.Contains(d.Detail, `"Runtime"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning for the second Runtime: %+v", inv.Diags)
	}
	if rt := fn(t, inv, "Fn").Runtime; rt != "python3.12" {
		t.Errorf("runtime %q, want the first", rt)
	}
}
