package cloudformation

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

// FuzzLoad feeds random and mutated templates to the reader: it must not
// panic, and what it returns must be writable as a snapshot.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("../../fixtures/*/template.yaml")
	nested, _ := filepath.Glob("../../fixtures/*/*/template.yaml")
	seeds = append(seeds, nested...)
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(intrinsics))
	f.Add([]byte(sam))
	f.Add([]byte(invokers))
	f.Add([]byte(samAuth))
	f.Add([]byte(connectors))
	f.Add([]byte("Resources:\n  A:\n    Type: AWS::Serverless::Api\n    Properties:\n      DefinitionBody:\n        paths:\n          /x: {get: {security: [], x-amazon-apigateway-integration: {type: aws_proxy, uri: !Ref A}}}\n"))
	f.Add([]byte("Resources:\n  C:\n    Type: AWS::Serverless::Connector\n    Properties: {Source: {Id: C}, Destination: [{Id: C}, {Type: AWS::Lambda::Function}], Permissions: [Write]}\n"))
	f.Add([]byte(`{"Resources":{"F":{"Type":"AWS::Lambda::Function","Properties":{"FunctionName":{"Fn::Sub":["${A}",{"A":{"Ref":"F"}}]}}}}}`))
	f.Add([]byte("Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: A\n"))
	f.Add([]byte("a: &a [*a]\nResources: {}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		inv, err := Load(context.Background(), "t.yaml", src, Options{})
		if err != nil {
			return
		}
		if err := inventory.Write(discard{}, inv); err != nil {
			t.Fatalf("inventory not writable: %v", err)
		}
		for _, sp := range loc.All(inv) {
			if !sp.Valid() {
				t.Fatalf("span %#v is out of order", sp)
			}
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
