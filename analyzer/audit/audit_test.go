package audit

import (
	"testing"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

func TestCrossAccountLeavesOutDeniedAndServices(t *testing.T) {
	target := &flow.Ref{Address: "aws_lambda_function.f"}
	res := &flow.Result{Flows: []flow.Flow{
		{ID: "reach/account/1", Kind: flow.KindReach, Decision: flow.Denied, Target: target, Reach: "account", Principal: "111122223333"},
		{ID: "reach/service/sns", Kind: flow.KindReach, Decision: flow.Allowed, Target: target, Reach: "service", Principal: "sns.amazonaws.com"},
		{ID: "reach/account/2", Kind: flow.KindReach, Decision: flow.Conditional, Target: target, Reach: "account", Principal: "444455556666",
			Steps: []flow.Step{{Statements: []flow.Statement{{Policy: "p", Sid: "A", Effect: "Allow"}, {Policy: "p", Sid: "D", Effect: "Deny"}}}}},
		{ID: "access/same", Kind: flow.KindAccess, Decision: flow.Allowed, Function: &flow.FunctionRef{Ref: *target}, Resource: &flow.Ref{ARN: "arn:aws:sqs:eu-west-1:123456789012:q"}},
	}}
	got := CrossAccount(res)
	if len(got) != 1 || got[0].Who != "444455556666" || got[0].Decision != flow.Conditional || len(got[0].Granted) != 1 || got[0].Granted[0] != "p#A" {
		t.Errorf("got %+v", got)
	}
}
