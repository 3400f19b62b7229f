package expect

import (
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
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
		Steps: []flow.Step{{Statements: []flow.Statement{{Policy: "role", Sid: "Poll", Effect: "Deny", Span: loc.At("main.tf", 4)}}}}},
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

func TestRecordAccessScopeOrderAndBound(t *testing.T) {
	fn := &flow.FunctionRef{Ref: flow.Ref{Address: "aws_lambda_function.f"}}
	many := []string{"s3:PutBucketTagging", "s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:PutObjectAcl", "s3:ReplicateObject", "s3:RestoreObject"}
	res := &flow.Result{Flows: []flow.Flow{
		{ID: "access/f->q/Write", Kind: flow.KindAccess, Decision: flow.Allowed, Function: fn, Resource: &flow.Ref{Address: "aws_sqs_queue.q", ARN: "arn:aws:sqs:eu-west-1:123456789012:q"}, Level: "Write", Actions: []string{"sqs:SendMessage"}},
		{ID: "access/f->b/Write", Kind: flow.KindAccess, Decision: flow.Allowed, Function: fn, Resource: &flow.Ref{Address: "aws_s3_bucket.b", ARN: "arn:aws:s3:::b"}, Level: "Write", Actions: many},
		{ID: "access/f->b/Read", Kind: flow.KindAccess, Decision: flow.Allowed, Function: fn, Resource: &flow.Ref{Address: "aws_s3_bucket.b", ARN: "arn:aws:s3:::b"}, Level: "Read", Actions: []string{"s3:GetObject"}},
		{ID: "access/f->*/Write", Kind: flow.KindAccess, Decision: flow.Allowed, Outside: true, Function: fn, Resource: &flow.Ref{ARN: "*"}, Level: "Write", Actions: []string{"logs:PutLogEvents"}},
		{ID: "access/f->other/Read", Kind: flow.KindAccess, Decision: flow.Conditional, Outside: true, CrossAccount: true, Function: fn, Resource: &flow.Ref{ARN: "arn:aws:sqs:eu-west-1:999988887777:intake"}, Level: "Read", Actions: []string{"sqs:GetQueueAttributes"}},
		{ID: "access/f->gone/Write", Kind: flow.KindAccess, Decision: flow.Denied, Purpose: "dead-letter", Function: fn, Resource: &flow.Ref{Address: "aws_sqs_queue.dlq"}, Level: "Write", Actions: []string{"sqs:SendMessage"}},
	}}
	got := accessExpectations(res, AccessRisky)
	var names []string
	for _, e := range got {
		names = append(names, e.Name+" = "+string(e.Result))
	}
	want := []string{
		"aws_lambda_function.f may sqs:GetQueueAttributes on arn:aws:sqs:eu-west-1:999988887777:intake = conditional",
		"aws_lambda_function.f may s3:DeleteBucket on aws_s3_bucket.b = allowed",
		"aws_lambda_function.f may s3:DeleteObject on aws_s3_bucket.b = allowed",
		"aws_lambda_function.f may s3:PutBucketPolicy on aws_s3_bucket.b = allowed",
		"aws_lambda_function.f may s3:PutBucketTagging on aws_s3_bucket.b = allowed",
		"aws_lambda_function.f may s3:PutObject on aws_s3_bucket.b = allowed",
		"aws_lambda_function.f may s3:PutObjectAcl on aws_s3_bucket.b = allowed",
		"aws_lambda_function.f may s3:CreateBucket on aws_s3_bucket.b = allowed",
		"aws_lambda_function.f may s3:AbortMultipartUpload on aws_s3_bucket.b = allowed",
		"aws_lambda_function.f may sqs:SendMessage on aws_sqs_queue.q = allowed",
	}
	// Sorted by function, resource and action; the bucket's ten actions cut
	// to eight, destructive ones first; reads of the account's own
	// resources, the bare "*" and denied flows left out.
	if len(names) != len(want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	byName := map[string]bool{}
	for _, n := range names {
		byName[n] = true
	}
	for _, w := range want {
		if !byName[w] {
			t.Errorf("missing %s in\n%s", w, strings.Join(names, "\n"))
		}
	}
	for i := 1; i < len(got); i++ {
		a, b := got[i-1], got[i]
		if a.Resource > b.Resource || a.Resource == b.Resource && a.Action > b.Action {
			t.Errorf("not in order: %s before %s", a.Name, b.Name)
		}
	}
	if n := len(accessExpectations(res, AccessAll)); n != 12 {
		t.Errorf("all: %d expectations, want 12 (the read and the bare * too)", n)
	}
	if n := len(accessExpectations(res, AccessNone)); n != 0 {
		t.Errorf("none: %d expectations", n)
	}
	// What Record writes parses back, and every expectation passes.
	exps, diags := Parse(Record(res, nil, AccessRisky), "lambdacheck.hcl")
	if diags.HasErrors() || len(exps) != len(want) {
		t.Fatalf("record: %v, %d expectations", diags, len(exps))
	}
	for _, o := range Check(res, exps) {
		if !o.Pass {
			t.Errorf("recorded expectation fails at once: %+v", o)
		}
	}
	if _, err := ParseAccessScope("writes"); err == nil {
		t.Error("unknown scope accepted")
	}
}

// An expectations file nested deeper than the parser can recurse is an
// error at its line, not a crash.
func TestParseRefusesDeepNesting(t *testing.T) {
	src := "expect \"x\" {\n  flow = " + strings.Repeat("(", 200000) + "\"a\"" + strings.Repeat(")", 200000) + "\n}\n"
	_, diags := Parse([]byte(src), "f.hcl")
	if !diags.HasErrors() || diags[0].Subject == nil || diags[0].Subject.Start.Line != 2 || !strings.Contains(diags[0].Detail, "nesting limit") {
		t.Fatalf("diags %v, want the nesting limit at line 2", diags)
	}
}
