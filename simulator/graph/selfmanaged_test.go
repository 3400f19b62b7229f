package graph

import (
	"testing"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// A self-managed source has neither an address nor an ARN: each mapping
// reading one gets a named entry node of its own.
func TestSelfManagedSourceGetsANamedNode(t *testing.T) {
	fn := flow.FunctionRef{Ref: flow.Ref{Address: "aws_lambda_function.consumer", ARN: "arn:aws:lambda:eu-west-1:123456789012:function:consumer"}}
	res := &flow.Result{Flows: []flow.Flow{
		{ID: "i1", Kind: flow.KindInvoke, Decision: flow.Allowed, Trigger: &flow.Trigger{Type: "kafka", Kind: "poll", Address: "aws_lambda_event_source_mapping.orders", Function: fn, Enabled: true}},
		{ID: "i2", Kind: flow.KindInvoke, Decision: flow.Allowed, Trigger: &flow.Trigger{Type: "kafka", Kind: "poll", Address: "aws_lambda_event_source_mapping.audit", Function: fn, Enabled: true}},
	}}
	g, err := Build(res, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkWellFormed(t, g)
	var labels []string
	for _, n := range g.Nodes {
		if n.Kind != Function {
			labels = append(labels, n.Label)
		}
	}
	if len(labels) != 2 || labels[0] == labels[1] {
		t.Fatalf("source nodes = %q", labels)
	}
	for _, l := range labels {
		if l != "self-managed source of orders" && l != "self-managed source of audit" {
			t.Errorf("source node %q", l)
		}
	}
}
