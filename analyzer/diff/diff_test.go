package diff

import (
	"slices"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

func fn(addr string) *flow.FunctionRef { return &flow.FunctionRef{Ref: flow.Ref{Address: addr}} }

func access(id string, d flow.Decision, level string, actions ...string) flow.Flow {
	return flow.Flow{ID: id, Kind: flow.KindAccess, Decision: d, Function: fn("aws_lambda_function.f"), Level: level, Actions: actions}
}

func onlyChange(t *testing.T, r *Result) FlowChange {
	t.Helper()
	if len(r.Flows) != 1 {
		t.Fatalf("want one flow change, got %+v", r.Flows)
	}
	return r.Flows[0]
}

func TestMovedFlowsAreTheSame(t *testing.T) {
	b := access("access/f->t/Write", flow.Allowed, "Write", "s3:PutObject")
	h := b
	h.Function = &flow.FunctionRef{Ref: flow.Ref{Address: "aws_lambda_function.f", Span: loc.At("other.tf", 99)}}
	r := Compare(Side{Flows: &flow.Result{Flows: []flow.Flow{b}}}, Side{Flows: &flow.Result{Flows: []flow.Flow{h}}})
	if len(r.Flows) != 0 {
		t.Errorf("a flow whose block moved is reported: %+v", r.Flows)
	}
}

func TestCoversCountWidens(t *testing.T) {
	b := access("access/f->* [sqs queue]/Write", flow.Allowed, "Write", "sqs:SendMessage")
	b.Covers = &flow.Coverage{Count: 2}
	h := b
	h.Covers = &flow.Coverage{Count: 5}
	c := onlyChange(t, Compare(Side{Flows: &flow.Result{Flows: []flow.Flow{b}}}, Side{Flows: &flow.Result{Flows: []flow.Flow{h}}}))
	if !c.Widened || !slices.Contains(c.Classes, Write) || c.What != "covers 2 → 5" {
		t.Errorf("covering more resources: %+v", c)
	}
	c = onlyChange(t, Compare(Side{Flows: &flow.Result{Flows: []flow.Flow{h}}}, Side{Flows: &flow.Result{Flows: []flow.Flow{b}}}))
	if c.Widened || len(c.Classes) != 0 {
		t.Errorf("covering fewer resources is narrowing: %+v", c)
	}
}

func TestDecisionChanges(t *testing.T) {
	b := access("access/f->t/Write", flow.Denied, "Write", "s3:PutObject")
	h := b
	h.Decision = flow.Conditional
	c := onlyChange(t, Compare(Side{Flows: &flow.Result{Flows: []flow.Flow{b}}}, Side{Flows: &flow.Result{Flows: []flow.Flow{h}}}))
	if !c.Widened || !slices.Contains(c.Classes, Write) {
		t.Errorf("denied → conditional widens: %+v", c)
	}
	inv := flow.Flow{ID: "invoke/t->f", Kind: flow.KindInvoke, Decision: flow.Allowed, Trigger: &flow.Trigger{Type: "s3", Function: *fn("aws_lambda_function.f")}}
	broken := inv
	broken.Decision = flow.Denied
	c = onlyChange(t, Compare(Side{Flows: &flow.Result{Flows: []flow.Flow{inv}}}, Side{Flows: &flow.Result{Flows: []flow.Flow{broken}}}))
	if c.Widened || !slices.Equal(c.Classes, []Class{Broken}) || c.Function != "aws_lambda_function.f" {
		t.Errorf("an invoke flow turning denied is broken, not widened: %+v", c)
	}
}

func TestAddedReachClasses(t *testing.T) {
	target := &flow.Ref{Address: "aws_lambda_function.f"}
	head := []flow.Flow{
		{ID: "reach/public-url/*/f", Kind: flow.KindReach, Decision: flow.Allowed, Target: target, Reach: "public-url", Principal: "*"},
		{ID: "reach/account/1/f", Kind: flow.KindReach, Decision: flow.Allowed, Target: target, Reach: "account", Principal: "111122223333"},
		{ID: "reach/account/2/f", Kind: flow.KindReach, Decision: flow.Denied, Target: target, Reach: "account", Principal: "444455556666"},
	}
	r := Compare(Side{}, Side{Flows: &flow.Result{Flows: head}})
	got := map[string][]Class{}
	for _, c := range r.Flows {
		got[c.ID] = c.Classes
	}
	if !slices.Equal(got["reach/public-url/*/f"], []Class{Public, Any}) || !slices.Equal(got["reach/account/1/f"], []Class{CrossAccount, Any}) || len(got["reach/account/2/f"]) != 0 {
		t.Errorf("classes: %v", got)
	}
	if v := r.Violations([]Class{Public}); len(v) != 1 || v[0].Class != Public {
		t.Errorf("violations of public: %+v", v)
	}
}

func TestFindingsByFingerprint(t *testing.T) {
	old := rules.Finding{Rule: "LC006", ShortCode: "cross-account-invoke", Fingerprint: "a", Span: loc.At("a.tf", 3)}
	moved := old
	moved.File, moved.Line = "b.tf", 40
	admin := rules.Finding{Rule: "LC009", ShortCode: "admin-or-wildcard-role", Fingerprint: "b"}
	waived := rules.Finding{Rule: "LC010", ShortCode: "privilege-escalation-actions", Fingerprint: "c", Suppressed: &rules.Suppression{Kind: "inline"}}
	r := Compare(Side{Findings: []rules.Finding{old}}, Side{Findings: []rules.Finding{moved, admin, waived}})
	if len(r.Fixed) != 0 || len(r.New) != 2 {
		t.Fatalf("new %+v fixed %+v", r.New, r.Fixed)
	}
	if v := r.Violations([]Class{Admin}); len(v) != 1 || v[0].What != "finding LC009 admin-or-wildcard-role on " {
		t.Errorf("admin violations (the waived finding never fails): %+v", v)
	}
}

func TestParseClasses(t *testing.T) {
	got, err := ParseClasses(" public,cross-account,public ,")
	if err != nil || !slices.Equal(got, []Class{Public, CrossAccount}) {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := ParseClasses("public,everything"); err == nil {
		t.Error("an unknown class is accepted")
	}
}

func FuzzParseClasses(f *testing.F) {
	f.Add("public,cross-account,write,admin,broken,any")
	f.Add(",,x")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseClasses(s)
		for _, c := range got {
			if !slices.Contains(Classes, c) {
				t.Fatalf("%q: unknown class %q accepted", s, c)
			}
		}
		if err != nil && got != nil {
			t.Fatalf("%q: classes returned with an error", s)
		}
	})
}
