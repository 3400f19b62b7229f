package cloudformation

import (
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

// An item spans its definition: from the logical id's line and column to
// the end of the last scalar written for it, as far as the parser tells.
func TestItemsSpanTheirDefinition(t *testing.T) {
	cases := []struct {
		name, src string
		want      loc.Span
	}{
		{"plain scalar last", `Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::111122223333:role/worker
      FunctionName: acme-worker
  Other:
    Type: AWS::SQS::Queue
`, loc.Span{File: "template.yaml", Line: 2, Column: 3, EndLine: 6, EndColumn: 32}},
		{"quoted scalar last, multibyte", `Resources:
    Worker:
        Type: AWS::Lambda::Function
        Properties: {Role: "arn:aws:iam::111122223333:role/worker", FunctionName: "café-worker"}
`, loc.Span{File: "template.yaml", Line: 2, Column: 5, EndLine: 4, EndColumn: 96}},
		{"block scalar last: end line only", `Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::111122223333:role/worker
      Description: |
        line one
        line two
`, loc.Span{File: "template.yaml", Line: 2, Column: 3, EndLine: 6}},
		{"JSON", `{"Resources": {"Worker": {"Type": "AWS::Lambda::Function",
  "Properties": {"Role": "arn:aws:iam::111122223333:role/worker"}}}}`,
			loc.Span{File: "template.yaml", Line: 1, Column: 16, EndLine: 2, EndColumn: 65}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := load(t, c.src, nil)
			if got := fn(t, inv, "Worker").Span; got != c.want {
				t.Errorf("span %#v, want %#v", got, c.want)
			}
		})
	}
}
