package expect

import (
	"testing"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

func parseOne(t *testing.T, src string) Expectation {
	t.Helper()
	exps, diags := Parse([]byte(src), "lambdacheck.hcl")
	if diags.HasErrors() || len(exps) != 1 {
		t.Fatalf("parse: %v %v", diags, exps)
	}
	return exps[0]
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{
		`expect "x" { flow = "a" result = "allowed" }`,
		"expect \"x\" {\n flow = \"a -> b\"\n result = \"maybe\"\n}",
		"expect \"x\" {\n function = \"f\"\n result = \"denied\"\n}",
		"expect {\n}",
		"other \"x\" {\n}",
		"expect \"x\" {\n flow = 3\n result = \"allowed\"\n}",
		"expect \"x\" {\n flow = \"a -> b\"\n result = \"allowed\"\n",
		"expect \"x\" {\n count = \"invoke\"\n}",
		"expect \"x\" {\n count = \"invoke\"\n min = 3\n max = 2\n}",
		"expect \"x\" {\n count = \"trigger\"\n max = 2\n}",
		"expect \"x\" {\n count = \"invoke\"\n max = 1.5\n}",
		"expect \"x\" {\n flow = \"a -> b\"\n max = 1\n result = \"allowed\"\n}",
	} {
		if _, diags := Parse([]byte(src), "f.hcl"); !diags.HasErrors() {
			t.Errorf("accepted: %s", src)
		}
	}
}

var flows = &flow.Result{Flows: []flow.Flow{
	{ID: "invoke/a->f", Kind: flow.KindInvoke, Decision: flow.Denied, Trigger: &flow.Trigger{Source: flow.Ref{Address: "aws_sqs_queue.a"}, Function: flow.FunctionRef{Ref: flow.Ref{Address: "aws_lambda_function.f"}}},
		Steps: []flow.Step{{Statements: []flow.Statement{{Policy: "role", Sid: "Poll", Effect: "Deny", File: "main.tf", Line: 4}}}}},
	{ID: "invoke/b->f", Kind: flow.KindInvoke, Decision: flow.Allowed, Trigger: &flow.Trigger{Source: flow.Ref{Address: "aws_sqs_queue.b"}, Function: flow.FunctionRef{Ref: flow.Ref{Address: "aws_lambda_function.f"}}}},
	{ID: "access/f->*", Kind: flow.KindAccess, Decision: flow.Allowed, Function: &flow.FunctionRef{Ref: flow.Ref{Address: "aws_lambda_function.f"}}, Resource: &flow.Ref{ARN: "arn:aws:s3:::data/*"}, Actions: []string{"s3:GetObject"}},
	{ID: "reach/public-url/*/f", Kind: flow.KindReach, Decision: flow.Allowed, Target: &flow.Ref{Address: "aws_lambda_function.f"}, Reach: "public-url", Principal: "*"},
}}

func TestCheck(t *testing.T) {
	cases := []struct {
		src  string
		pass bool
		got  flow.Decision
	}{
		{`expect "x" {
  flow   = "aws_sqs_queue.* -> aws_lambda_function.f"
  result = "allowed"
}`, false, flow.Denied},
		{`expect "x" {
  flow   = "aws_sqs_queue.b -> aws_lambda_function.f"
  result = "allowed"
}`, true, flow.Allowed},
		{`expect "x" {
  flow   = "aws_sqs_queue.c -> aws_lambda_function.f"
  result = "denied"
}`, false, ""},
		{`expect "x" {
  function = "aws_lambda_function.f"
  action   = "s3:getobject"
  resource = "arn:aws:s3:::data/reports/1.csv"
  result   = "allowed"
}`, true, flow.Allowed},
		{`expect "x" {
  function = "aws_lambda_function.f"
  action   = "s3:PutObject"
  resource = "arn:aws:s3:::data/reports/1.csv"
  result   = "denied"
}`, true, flow.Denied},
		{`expect "x" {
  principal = "*"
  result    = "denied"
}`, false, flow.Allowed},
		{`expect "x" {
  principal = "111122223333"
  result    = "denied"
}`, true, flow.Denied},
		{`expect "x" {
  count  = "invoke"
  result = "allowed"
  max    = 1
}`, true, ""},
		{`expect "x" {
  count    = "invoke"
  function = "aws_lambda_function.*"
  max      = 1
}`, false, ""},
		{`expect "x" {
  count = "reach"
  min   = 1
  max   = 1
}`, true, ""},
	}
	for i, c := range cases {
		o := Check(flows, []Expectation{parseOne(t, c.src)})[0]
		if o.Pass != c.pass || o.Got != c.got {
			t.Errorf("case %d: pass %v got %q, want %v %q (%+v)", i, o.Pass, o.Got, c.pass, c.got, o)
		}
	}
	o := Check(flows, []Expectation{parseOne(t, cases[0].src)})[0]
	if len(o.Deciding) != 1 || o.Deciding[0] != "invoke/a->f: denied by Deny role#Poll (main.tf:4)" {
		t.Errorf("deciding: %v", o.Deciding)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("expect \"x\" {\n flow = \"a -> b\"\n result = \"allowed\"\n}")
	f.Add("expect \"x\" {\n principal = \"*\"\n result = \"denied\"\n}")
	f.Add("expect \"x\" { function = \"f\"\n action = \"s3:*\"\n resource = \"*\"\n result = \"denied\" }")
	f.Fuzz(func(t *testing.T, src string) {
		exps, diags := Parse([]byte(src), "f.hcl")
		if diags.HasErrors() {
			return
		}
		for _, e := range exps {
			if e.Kind == "" || e.Result == "" {
				t.Fatalf("accepted an incomplete expectation %+v", e)
			}
		}
		Check(flows, exps)
	})
}
