package audit

import (
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

func TestCrossAccountGroupsPrincipals(t *testing.T) {
	target := &flow.Ref{Address: "aws_lambda_function.f", ARN: "arn:aws:lambda:eu-west-1:123456789012:function:f"}
	grant := []flow.Step{{Action: "lambda:InvokeFunction", Statements: []flow.Statement{
		{Policy: "caller", Layer: "identity", Effect: "Allow"},
		{Policy: "p", Layer: "resource", Sid: "A", Effect: "Allow", Span: loc.At("main.tf", 3), Conditions: []string{"aws:SourceAccount must equal 1"}},
		{Policy: "p", Layer: "resource", Sid: "D", Effect: "Deny"},
	}}}
	inv := &inventory.Inventory{Functions: []inventory.Function{
		{Origin: inventory.Origin{Address: "aws_lambda_function.f"}, Account: "123456789012"},
		{Origin: inventory.Origin{Address: "aws_lambda_function.g"}, Account: "210987654321"},
		{Origin: inventory.Origin{Address: "aws_lambda_function.ext"}, External: true, Account: "999999999999"},
	}}
	res := &flow.Result{Flows: []flow.Flow{
		{ID: "reach/account/111122223333/aws_lambda_function.f:$unqualified", Kind: flow.KindReach, Decision: flow.Denied, Target: target, Reach: "account", Principal: "111122223333"},
		{ID: "reach/service/sns.amazonaws.com/aws_lambda_function.f:$unqualified", Kind: flow.KindReach, Decision: flow.Allowed, Target: target, Reach: "service", Principal: "sns.amazonaws.com", Actions: []string{"lambda:InvokeFunction"}},
		{ID: "reach/account/444455556666/aws_lambda_function.f:$unqualified", Kind: flow.KindReach, Decision: flow.Conditional, Target: target, Reach: "account", Principal: "444455556666", Steps: grant},
		{ID: "reach/account/arn:aws:iam::210987654321:role/ops/aws_lambda_function.f:live", Kind: flow.KindReach, Decision: flow.Allowed, Target: target, Reach: "account", Principal: "210987654321"},
		{ID: "reach/account/777788889999/aws_lambda_function.f:$unqualified", Kind: flow.KindReach, Decision: flow.Allowed, Target: target, Reach: "account", Principal: "777788889999"},
		{ID: "reach/organization/o-acme/aws_lambda_function.f:$unqualified", Kind: flow.KindReach, Decision: flow.Allowed, Target: target, Reach: "organization", Principal: "o-acme"},
		{ID: "reach/public-url/*/aws_lambda_function.f:$unqualified", Kind: flow.KindReach, Decision: flow.Allowed, Target: target, Reach: "public-url", Principal: "*"},
		{ID: "reach/assume-role/000000000000/aws_iam_role.r", Kind: flow.KindReach, Decision: flow.Allowed, Target: &flow.Ref{Address: "aws_iam_role.r"}, Reach: "assume-role"},
		{ID: "access/same", Kind: flow.KindAccess, Decision: flow.Allowed, Function: &flow.FunctionRef{Ref: *target}, Resource: &flow.Ref{ARN: "arn:aws:sqs:eu-west-1:123456789012:q"}},
		{ID: "access/anywhere", Kind: flow.KindAccess, Decision: flow.Conditional, Outside: true, Level: "Write", Actions: []string{"s3:PutObject"}, Function: &flow.FunctionRef{Ref: *target}, Resource: &flow.Ref{ARN: "arn:aws:s3:::drop/*"}},
		{ID: "access/logs", Kind: flow.KindAccess, Decision: flow.Allowed, Outside: true, Level: "Write", Actions: []string{"logs:PutLogEvents"}, Function: &flow.FunctionRef{Ref: *target}, Resource: &flow.Ref{ARN: "*"}},
		{ID: "access/traces", Kind: flow.KindAccess, Decision: flow.Allowed, Outside: true, Level: "Write", Actions: []string{"xray:PutTraceSegments"}, Function: &flow.FunctionRef{Ref: *target}, Resource: &flow.Ref{ARN: "*"}},
		{ID: "access/any-bucket", Kind: flow.KindAccess, Decision: flow.Allowed, Outside: true, Level: "Read", Actions: []string{"s3:GetObject"}, Function: &flow.FunctionRef{Ref: *target}, Resource: &flow.Ref{ARN: "*"}},
		{ID: "access/list-buckets", Kind: flow.KindAccess, Decision: flow.Allowed, Outside: true, Level: "List", Actions: []string{"s3:ListAllMyBuckets"}, Function: &flow.FunctionRef{Ref: *target}, Resource: &flow.Ref{ARN: "*"}},
		{ID: "access/other", Kind: flow.KindAccess, Decision: flow.Allowed, CrossAccount: true, Level: "Write", Actions: []string{"sqs:SendMessage"}, Function: &flow.FunctionRef{Ref: *target}, Resource: &flow.Ref{ARN: "arn:aws:sqs:eu-west-1:777788889999:q"}},
	}}
	a := CrossAccount(inv, res, Options{Trusted: []string{"777788889999"}, OrgID: "o-acme", Accounts: []string{"555555555555"}})
	type row struct{ dir, group, who string }
	var got []row
	for _, e := range a.Entries {
		got = append(got, row{e.Direction, e.Group, e.Who})
	}
	want := []row{
		{"inbound", GroupPublic, "*"},
		{"inbound", GroupOrganization, "arn:aws:iam::210987654321:role/ops"},
		{"inbound", GroupOrganization, "o-acme"},
		{"inbound", GroupOutside, "444455556666"},
		{"inbound", GroupOutside, "777788889999"},
		{"inbound", GroupService, "sns.amazonaws.com"},
		{"outbound", GroupOutside, "arn:aws:sqs:eu-west-1:777788889999:q"},
		// The bare "*" counts for reads and writes of services other
		// accounts can share by policy (s3:GetObject), not for logs,
		// traces or listings.
		{"outbound", GroupAnyAccount, "*"},
		// An S3 ARN names no account: any account's bucket.
		{"outbound", GroupAnyAccount, "arn:aws:s3:::drop/*"},
	}
	if len(got) != len(want) {
		t.Fatalf("entries %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: %v, want %v", i, got[i], want[i])
		}
	}
	cond := a.Entries[3]
	if cond.Decision != flow.Conditional || len(cond.Granted) != 1 || cond.Granted[0].String() != "p#A (main.tf:3)" || cond.Granted[0].Conditions[0] != "aws:SourceAccount must equal 1" {
		t.Errorf("grant of the conditional entry (the caller's own identity policy and the Deny left out): %+v", cond.Granted)
	}
	if !a.Entries[4].Trusted || a.Entries[3].Trusted || !a.Entries[6].Trusted || a.Entries[6].Level != "Write" {
		t.Errorf("trusted marks or level: %+v", a.Entries)
	}
	if want := []string{"123456789012", "210987654321", "555555555555"}; len(a.Accounts) != 3 || a.Accounts[0] != want[0] || a.Accounts[1] != want[1] || a.Accounts[2] != want[2] {
		t.Errorf("organization accounts %v, want %v (settings and the functions' accounts, not an external function's)", a.Accounts, want)
	}
	if len(a.Functions) != 2 || a.Functions[0].Inbound[GroupOutside] != 2 || a.Functions[0].Outbound != 3 || a.Functions[1].Function != "aws_lambda_function.g" || len(a.Functions[1].Inbound) != 0 {
		t.Errorf("functions: %+v", a.Functions)
	}
}
