package simulator

import (
	"context"
	"reflect"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// simulateFacts simulates inv and returns its facts.
func simulateFacts(t *testing.T, inv *inventory.Inventory) *flow.Facts {
	t.Helper()
	res, err := Simulate(context.Background(), inv, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Facts == nil {
		t.Fatal("no facts")
	}
	return res.Facts
}

func TestRoleFacts(t *testing.T) {
	st := func(i int, sid string) flow.StatementRef {
		return flow.StatementRef{Index: i, Sid: sid, Span: loc.At("main.tf", 1)}
	}
	cases := []struct {
		name       string
		statements string
		want       *flow.PolicyFacts // nil: no fact
	}{
		{"star on star", `{"Effect":"Allow","Action":"*","Resource":"*"}`,
			&flow.PolicyFacts{Wildcards: []flow.WildcardGrant{{Statement: st(0, ""), Actions: []string{"*"}}}}},
		{"star-colon-star is every action", `{"Effect":"Allow","Action":"*:*","Resource":"*"}`,
			&flow.PolicyFacts{Wildcards: []flow.WildcardGrant{{Statement: st(0, ""), Actions: []string{"*:*"}}}}},
		{"whole services, any case and any number of stars; partial wildcards are not", `{"Sid":"W","Effect":"Allow","Action":["S3:*","iam:**","s3:Get*"],"Resource":["arn:aws:s3:::b","*"]}`,
			&flow.PolicyFacts{Wildcards: []flow.WildcardGrant{{Statement: st(0, "W"), Actions: []string{"S3:*", "iam:**"}}}}},
		{"NotAction on star", `{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}`,
			&flow.PolicyFacts{Wildcards: []flow.WildcardGrant{{Statement: st(0, ""), NotAction: []string{"iam:*", "organizations:*"}}}}},
		{"service wildcard on scoped resources or NotResource is no wildcard grant", `{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::b"}`,
			nil},
		{"Deny is no grant", `{"Effect":"Deny","Action":["*","iam:PassRole"],"Resource":"*"}`, nil},
		{"escalations by name, partial wildcard and wildcard service prefix, first statement each", `{"Effect":"Allow","Action":["iam:Put*Policy","i?m:PassRole"],"Resource":"*"},{"Sid":"Again","Effect":"Allow","Action":["IAM:PUTROLEPOLICY","sts:AssumeRole"],"Resource":"*"}`,
			&flow.PolicyFacts{Escalations: []flow.ActionGrant{
				{Action: "iam:PassRole", Statement: st(0, "")},
				{Action: "iam:PutRolePolicy", Statement: st(0, "")},
				{Action: "iam:PutUserPolicy", Statement: st(0, "")},
				{Action: "iam:PutGroupPolicy", Statement: st(0, "")},
				{Action: "sts:AssumeRole", Statement: st(1, "Again")},
			}}},
		{"escalation on a scoped resource is none; a whole-service wildcard is a wildcard grant", `{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/x"},{"Effect":"Allow","Action":["iam:*","lambda:Update*"],"Resource":"*"}`,
			&flow.PolicyFacts{
				Wildcards: []flow.WildcardGrant{{Statement: st(1, ""), Actions: []string{"iam:*"}}},
				Escalations: []flow.ActionGrant{
					{Action: "lambda:UpdateFunctionCode", Statement: st(1, "")},
					{Action: "lambda:UpdateFunctionConfiguration", Statement: st(1, "")},
				}}},
		{"NotAction grants no named escalation", `{"Effect":"Allow","NotAction":"s3:*","Resource":"arn:aws:sns:eu-west-1:111111111111:t"}`, nil},
		{"resources in other accounts, not the role's own even when its id is in the name", `{"Sid":"Out","Effect":"Allow","Action":["sqs:SendMessage"],"Resource":["arn:aws:sqs:eu-west-1:999999999999:q-111111111111","arn:aws:sqs:eu-west-1:111111111111:mine","arn:aws:sqs:eu-west-1:*:any","arn:aws:sqs:eu-west-1:12345:short","arn:aws:s3:::bucket-999999999999"]},{"Effect":"Allow","NotAction":"s3:*","Resource":"arn:aws:sns:eu-west-1:888888888888:t"},{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:eu-west-1:777777777777:d"},{"Effect":"Allow","Action":"sqs:*","NotResource":"arn:aws:sqs:eu-west-1:666666666666:n"}`,
			&flow.PolicyFacts{ForeignResources: []flow.ResourceGrant{
				{Statement: st(0, "Out"), Actions: []string{"sqs:SendMessage"}, Resource: "arn:aws:sqs:eu-west-1:999999999999:q-111111111111", Account: "999999999999"},
				{Statement: st(1, ""), Resource: "arn:aws:sns:eu-west-1:888888888888:t", Account: "888888888888"},
			}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := role("r", `{"Version":"2012-10-17","Statement":[`+c.statements+`]}`)
			facts := simulateFacts(t, &inventory.Inventory{Account: acct, Roles: []inventory.Role{r}, Functions: []inventory.Function{function("f", "r")}})
			if c.want == nil {
				if len(facts.Roles) != 0 {
					t.Fatalf("facts %+v, want none", facts.Roles)
				}
				return
			}
			if len(facts.Roles) != 1 || facts.Roles[0].ARN != r.ARN || len(facts.Roles[0].Policies) != 1 {
				t.Fatalf("facts %+v, want one policy of %s", facts.Roles, r.ARN)
			}
			want := *c.want
			want.Index, want.Name, want.Address = 0, "r-inline-0", "r-inline-0"
			if got := facts.Roles[0].Policies[0]; !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

// The policy index counts inline policies first, then attached ones, and
// policies without a fact or that do not parse keep their place.
func TestRoleFactsPolicyIndex(t *testing.T) {
	r := role("r", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`, `not json`)
	r.AttachedPolicies = []inventory.Policy{pol("AdministratorAccess", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}
	facts := simulateFacts(t, &inventory.Inventory{Account: acct, Roles: []inventory.Role{r}})
	if len(facts.Roles) != 1 || len(facts.Roles[0].Policies) != 1 {
		t.Fatalf("facts %+v", facts.Roles)
	}
	if p := facts.Roles[0].Policies[0]; p.Index != 2 || p.Name != "AdministratorAccess" {
		t.Errorf("policy %+v, want index 2 AdministratorAccess", p)
	}
}

func TestUnpinnedServiceGrants(t *testing.T) {
	stmt := func(sid, principal, cond string) string {
		s := `{"Sid":"` + sid + `","Effect":"Allow","Principal":` + principal + `,"Action":"lambda:InvokeFunction","Resource":"` + fnARN("f") + `"`
		if cond != "" {
			s += `,"Condition":` + cond
		}
		return s + "}"
	}
	rp := fnPolicy("live", stmt("None", `{"Service":["S3.amazonaws.com","sns.amazonaws.com"]}`, "")+","+
		stmt("ArnOnly", `{"Service":"s3.amazonaws.com"}`, `{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"}}`)+","+
		stmt("Both", `{"Service":"s3.amazonaws.com"}`, `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::b"},"StringEquals":{"aws:sourceaccount":"`+acct+`"}}`)+","+
		stmt("AccountByVariableOnly", `{"Service":"ses.amazonaws.com"}`, `{"StringEquals":{"aws:SourceArn":"arn:aws:ses:eu-west-1:${aws:SourceAccount}:x"}}`)+","+
		stmt("Account", `{"AWS":"arn:aws:iam::222222222222:root"}`, "")+","+
		`{"Effect":"Deny","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"`+fnARN("f")+`"}`)
	rp.Address = "aws_lambda_resource_policy.f"
	f := function("f", "r", fnPolicy("", stmt("Pinned", `{"Service":"sns.amazonaws.com"}`, `{"ArnLike":{"AWS:SourceArn":"arn:aws:sns:eu-west-1:`+acct+`:t"},"StringEquals":{"AWS:SourceAccount":"`+acct+`"}}`)), rp)
	facts := simulateFacts(t, &inventory.Inventory{Account: acct, Roles: []inventory.Role{role("r")}, Functions: []inventory.Function{f}})
	ref := func(i int, sid string) flow.StatementRef {
		return flow.StatementRef{Index: i, Sid: sid, Span: loc.At("main.tf", 1)}
	}
	want := []flow.ResourcePolicyFacts{{
		Function: "aws_lambda_function.f", Index: 1, Address: "aws_lambda_resource_policy.f", Qualifier: "live",
		Unpinned: []flow.ServiceGrant{
			{Statement: ref(0, "None"), Service: "s3.amazonaws.com"},
			{Statement: ref(0, "None"), Service: "sns.amazonaws.com"},
			{Statement: ref(1, "ArnOnly"), Service: "s3.amazonaws.com", SourceArn: true},
			{Statement: ref(3, "AccountByVariableOnly"), Service: "ses.amazonaws.com", SourceArn: true},
		},
	}}
	if !reflect.DeepEqual(facts.ResourcePolicies, want) {
		t.Errorf("got  %+v\nwant %+v", facts.ResourcePolicies, want)
	}
}

// A statement of a policy the source assembled from permissions points at
// the permission block that wrote it.
func TestUnpinnedGrantPointsAtItsPermission(t *testing.T) {
	rp := fnPolicy("", `{"Sid":"FromBucket","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"`+fnARN("f")+`"}`)
	rp.Address = "aws_lambda_function.f"
	f := function("f", "r", rp)
	f.Permissions = []inventory.Permission{{Origin: inventory.Origin{Address: "aws_lambda_permission.bucket", Span: loc.Span{File: "perms.tf", Line: 40, Column: 1, EndLine: 44, EndColumn: 2}}, StatementID: "FromBucket", Principal: "s3.amazonaws.com", Action: "lambda:InvokeFunction"}}
	facts := simulateFacts(t, &inventory.Inventory{Account: acct, Roles: []inventory.Role{role("r")}, Functions: []inventory.Function{f}})
	if len(facts.ResourcePolicies) != 1 || len(facts.ResourcePolicies[0].Unpinned) != 1 {
		t.Fatalf("facts %+v", facts.ResourcePolicies)
	}
	if got := facts.ResourcePolicies[0].Unpinned[0].Statement; got.Span != (loc.Span{File: "perms.tf", Line: 40, Column: 1, EndLine: 44, EndColumn: 2}) {
		t.Errorf("statement at %#v, want the whole permission block perms.tf:40-44", got.Span)
	}
}
