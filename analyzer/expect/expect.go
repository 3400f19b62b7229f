// Package expect reads the expectations written in lambdacheck.hcl and
// checks them against simulated flows: that a trigger may (or may not)
// invoke its function, that a function's role may (or may not) perform an
// action on a resource, and that a principal can invoke no function.
//
// Place: after flows. A caller opens the suite (Open finds and parses the
// file), loads and simulates the input with the pipeline, then hands the
// flows to Suite.Check (the outcomes go to the report, Verdict says whether
// they pass) or to Suite.Record, which appends them to the file.
package expect

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/hclnesting"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// FileName is the expectations file looked for beside the input.
const FileName = "lambdacheck.hcl"

// MaxSize bounds an expectations file.
const MaxSize = 4 << 20

// Kind is what an expectation is about.
type Kind string

// The kinds of expectation.
const (
	KindFlow      Kind = "flow"      // a trigger invoking a function
	KindAccess    Kind = "access"    // a function's role on an action and resource
	KindPrincipal Kind = "principal" // an outside principal invoking functions
	KindCount     Kind = "count"     // how many flows of a kind
)

// Expectation is one expect block.
type Expectation struct {
	Name string
	Kind Kind
	// Source and Function are patterns ("*" and "?" wildcards) of
	// addresses or ARNs; Action and Resource are IAM-style patterns.
	Source, Function, Action, Resource string
	// Principal is an account id, a service principal or "*" (the public).
	Principal string
	Result    flow.Decision
	// Count is the kind of flow counted (invoke, access, reach, chain),
	// of the functions matching Function and with Result when set;
	// Min and Max bound the number (-1 for no bound).
	Count    flow.Kind
	Min, Max int
	Range    hcl.Range
}

// Parse reads expect blocks; other blocks and attributes are errors with
// their range.
func Parse(src []byte, filename string) ([]Expectation, hcl.Diagnostics) {
	if len(src) > MaxSize {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: fmt.Sprintf("%s is larger than %d bytes", filename, MaxSize)}}
	}
	file, diags := hclnesting.ParseConfig(src, filename)
	if diags.HasErrors() {
		return nil, diags
	}
	body := file.Body.(*hclsyntax.Body)
	for _, a := range body.Attributes {
		diags = append(diags, errAt(a.SrcRange, "unexpected attribute %q: only expect blocks belong here", a.Name))
	}
	var out []Expectation
	for _, b := range body.Blocks {
		if b.Type != "expect" || len(b.Labels) != 1 {
			diags = append(diags, errAt(b.DefRange(), "want expect \"NAME\" { … }, got %s with %d label(s)", b.Type, len(b.Labels)))
			continue
		}
		e, d := parseBlock(b)
		diags = append(diags, d...)
		if !d.HasErrors() {
			out = append(out, e)
		}
	}
	return out, diags
}

func errAt(r hcl.Range, format string, args ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf(format, args...), Subject: r.Ptr()}
}

func parseBlock(b *hclsyntax.Block) (Expectation, hcl.Diagnostics) {
	e := Expectation{Name: b.Labels[0], Range: b.DefRange()}
	var diags hcl.Diagnostics
	vals := map[string]string{}
	bounds := map[string]int{}
	for name, a := range b.Body.Attributes {
		switch name {
		case "flow", "function", "action", "resource", "principal", "result", "count":
		case "min", "max":
			v, d := a.Expr.Value(nil)
			if d.HasErrors() {
				diags = append(diags, d...)
				continue
			}
			n, ok := smallCount(v)
			if !ok {
				diags = append(diags, errAt(a.Expr.Range(), "%s: want a whole number from 0 to 1000000", name))
				continue
			}
			bounds[name] = n
			continue
		default:
			diags = append(diags, errAt(a.SrcRange, "unknown attribute %q: want flow, function, action, resource, principal, count, min, max or result", name))
			continue
		}
		v, d := a.Expr.Value(nil)
		if d.HasErrors() {
			diags = append(diags, d...)
			continue
		}
		if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
			diags = append(diags, errAt(a.Expr.Range(), "%s: want a string", name))
			continue
		}
		vals[name] = v.AsString()
	}
	for _, nb := range b.Body.Blocks {
		diags = append(diags, errAt(nb.DefRange(), "unexpected block %q in expect", nb.Type))
	}
	if diags.HasErrors() {
		return e, diags
	}
	if c := vals["count"]; c != "" {
		return parseCount(e, vals, bounds, b.DefRange())
	}
	if len(bounds) > 0 {
		return e, hcl.Diagnostics{errAt(b.DefRange(), "expect %q: min and max go with count", e.Name)}
	}
	switch r := flow.Decision(vals["result"]); r {
	case flow.Allowed, flow.Denied, flow.Conditional, flow.Unknown:
		e.Result = r
	default:
		return e, hcl.Diagnostics{errAt(b.DefRange(), "expect %q: result = allowed, denied, conditional or unknown", e.Name)}
	}
	e.Function, e.Action, e.Resource, e.Principal = vals["function"], vals["action"], vals["resource"], vals["principal"]
	switch {
	case vals["flow"] != "":
		src, fn, ok := strings.Cut(vals["flow"], "->")
		e.Source, e.Function = strings.TrimSpace(src), strings.TrimSpace(fn)
		if !ok || e.Source == "" || e.Function == "" || e.Action != "" || e.Resource != "" || e.Principal != "" {
			return e, hcl.Diagnostics{errAt(b.DefRange(), "expect %q: flow = \"SOURCE -> FUNCTION\", alone with result", e.Name)}
		}
		e.Kind = KindFlow
	case e.Principal != "":
		if e.Action != "" || e.Resource != "" {
			return e, hcl.Diagnostics{errAt(b.DefRange(), "expect %q: principal goes with an optional function and result", e.Name)}
		}
		e.Kind = KindPrincipal
	case e.Function != "" && e.Action != "" && e.Resource != "":
		e.Kind = KindAccess
	default:
		return e, hcl.Diagnostics{errAt(b.DefRange(), "expect %q: give flow, or function + action + resource, or principal", e.Name)}
	}
	return e, nil
}

// Outcome is an expectation checked.
type Outcome struct {
	Expectation Expectation
	Got         flow.Decision
	Pass        bool
	// Deciding names the flows (and their statements) that decided Got;
	// Detail says why when no flow did.
	Deciding []string
	Detail   string
	// Count is the number of flows a count expectation counted.
	Count int
}

// Check decides every expectation from the flows.
func Check(res *flow.Result, exps []Expectation) []Outcome {
	out := make([]Outcome, len(exps))
	for i, e := range exps {
		var o Outcome
		switch e.Kind {
		case KindFlow:
			o = checkFlow(res, e)
		case KindAccess:
			o = checkAccess(res, e)
		case KindPrincipal:
			o = checkPrincipal(res, e)
		case KindCount:
			o = checkCount(res, e)
		}
		o.Expectation = e
		out[i] = o
	}
	return out
}

// matchName matches an address or ARN pattern against a reference.
func matchName(p string, r flow.Ref) bool {
	return p != "" && (pattern.Match(p, r.Address) || r.ARN != "" && pattern.Match(p, r.ARN))
}

// checkFlow: every invoke flow from a matching source to a matching
// function must have the expected decision, and there must be one.
func checkFlow(res *flow.Result, e Expectation) Outcome {
	var o Outcome
	for _, f := range res.Flows {
		if f.Kind != flow.KindInvoke || f.Trigger == nil {
			continue
		}
		t := f.Trigger
		if !(matchName(e.Source, t.Source) || pattern.Match(e.Source, t.Address)) || !matchName(e.Function, t.Function.Ref) {
			continue
		}
		o.add(f, e.Result)
	}
	if len(o.Deciding) == 0 {
		o.Got, o.Detail = "", "no trigger from "+e.Source+" to "+e.Function
	}
	return o
}

// add records a matching flow: the outcome fails when any matching flow
// differs from the expected decision.
func (o *Outcome) add(f flow.Flow, want flow.Decision) {
	if len(o.Deciding) == 0 {
		o.Pass, o.Got = true, f.Decision
	}
	if f.Decision != want {
		if o.Pass {
			o.Deciding = nil
		}
		o.Pass, o.Got = false, f.Decision
	} else if !o.Pass {
		return
	}
	o.Deciding = append(o.Deciding, describe(f))
}

// describe names a flow and the statements of its steps.
func describe(f flow.Flow) string {
	var stmts []string
	for _, s := range f.Steps {
		for _, st := range s.Statements {
			name := st.Policy
			if st.Sid != "" {
				name += "#" + st.Sid
			} else {
				name += fmt.Sprintf("[%d]", st.Index)
			}
			if st.File != "" && st.Line > 0 {
				name += fmt.Sprintf(" (%s:%d)", st.File, st.Line)
			}
			stmts = append(stmts, st.Effect+" "+name)
		}
	}
	if len(stmts) == 0 {
		return f.ID + ": " + string(f.Decision)
	}
	return f.ID + ": " + string(f.Decision) + " by " + strings.Join(stmts, ", ")
}

// checkAccess decides from the access flows: the most granting decision
// of a flow of a matching function that lists a matching action on a
// resource the expectation names (or a pattern covering it); an action no
// access flow grants is denied.
func checkAccess(res *flow.Result, e Expectation) Outcome {
	var best *flow.Flow
	for i := range res.Flows {
		f := &res.Flows[i]
		if f.Kind != flow.KindAccess || f.Function == nil || !matchName(e.Function, f.Function.Ref) || f.Resource == nil {
			continue
		}
		if !resourceMatches(e.Resource, *f.Resource) || !actionMatches(e.Action, f.Actions) {
			continue
		}
		if best == nil || f.Decision.Rank() < best.Decision.Rank() {
			best = f
		}
	}
	if best == nil {
		return Outcome{Got: flow.Denied, Pass: e.Result == flow.Denied, Detail: "no access flow of " + e.Function + " grants " + e.Action + " on " + e.Resource}
	}
	return Outcome{Got: best.Decision, Pass: best.Decision == e.Result, Deciding: []string{describe(*best)}}
}

func resourceMatches(p string, r flow.Ref) bool {
	if pattern.Match(p, r.Address) {
		return true
	}
	// Either side may be the pattern: the expectation naming a class of
	// objects, or the flow standing for a policy's wildcard resource.
	return r.ARN != "" && (pattern.Match(p, r.ARN) || pattern.Match(r.ARN, p))
}

func actionMatches(p string, actions []string) bool {
	p = strings.ToLower(p)
	for _, a := range actions {
		a = strings.ToLower(a)
		if pattern.Match(p, a) || pattern.Match(a, p) {
			return true
		}
	}
	return false
}

// checkPrincipal: every reach flow of the principal ("*" is the public:
// public and public-url reach) to a matching function must have the
// expected decision; none at all counts as denied.
func checkPrincipal(res *flow.Result, e Expectation) Outcome {
	var o Outcome
	for _, f := range res.Flows {
		// Assuming a role is not invoking a function.
		if f.Kind != flow.KindReach || f.Target == nil || f.Reach == "assume-role" {
			continue
		}
		if e.Function != "" && !matchName(e.Function, *f.Target) {
			continue
		}
		public := f.Reach == "public" || f.Reach == "public-url"
		if e.Principal == "*" && !public || e.Principal != "*" && (public || f.Principal != e.Principal) {
			continue
		}
		o.add(f, e.Result)
	}
	if len(o.Deciding) == 0 {
		o.Got, o.Pass = flow.Denied, e.Result == flow.Denied
		o.Detail = "no reach flow of " + e.Principal
	}
	return o
}

// AccessScope says which access flows Record writes down.
type AccessScope string

// The access scopes.
const (
	// AccessRisky: Write and Permissions management access to named
	// resources and patterns (not the bare "*", which the wildcard rules
	// judge), and every access to a resource in another account.
	AccessRisky AccessScope = "risky"
	AccessAll   AccessScope = "all" // every access flow
	AccessNone  AccessScope = "none"
)

// ParseAccessScope reads an AccessScope by name.
func ParseAccessScope(s string) (AccessScope, error) {
	switch a := AccessScope(s); a {
	case AccessRisky, AccessAll, AccessNone:
		return a, nil
	}
	return "", fmt.Errorf("access scope %q: want risky, all or none", s)
}

// MaxRecordedActions bounds the actions recorded of one access flow: a
// wildcard grant lists hundreds, and the first few (in order) stand for
// the grant.
const MaxRecordedActions = 8

// Record writes today's flows as expectations: each trigger (source →
// function), each outside principal's reach of a function, and the access
// flows in scope (one expectation per function, action and resource), with
// their decision, in a stable order. Names already in taken are skipped, so
// recording again into a file keeps what it has.
func Record(res *flow.Result, taken map[string]bool, scope AccessScope) []byte {
	type rec struct {
		name  string
		attrs [][2]string
	}
	byName := map[string]*rec{}
	conflict := map[string]bool{}
	var order []string
	add := func(name string, decision flow.Decision, attrs ...[2]string) {
		if taken[name] || conflict[name] {
			return
		}
		attrs = append(attrs, [2]string{"result", string(decision)})
		if r, ok := byName[name]; ok {
			// Several flows under one name (qualifiers) must agree, or
			// the expectation would fail as soon as it is written.
			if r.attrs[len(r.attrs)-1][1] != string(decision) {
				conflict[name] = true
				delete(byName, name)
			}
			return
		}
		byName[name] = &rec{name: name, attrs: attrs}
		order = append(order, name)
	}
	for _, f := range res.Flows {
		switch {
		case f.Kind == flow.KindInvoke && f.Trigger != nil:
			src := cmpOr(f.Trigger.Source.Address, f.Trigger.Source.ARN)
			fn := cmpOr(f.Trigger.Function.Address, f.Trigger.Function.ARN)
			if src == "" || fn == "" || strings.Contains(src+fn, "->") {
				continue
			}
			add(src+" -> "+fn, f.Decision, [2]string{"flow", src + " -> " + fn})
		case f.Kind == flow.KindReach && f.Target != nil && f.Reach != "assume-role":
			who := f.Principal
			if f.Reach == "public" || f.Reach == "public-url" {
				who = "*"
			}
			fn := cmpOr(f.Target.Address, f.Target.ARN)
			if who == "" || fn == "" {
				continue
			}
			add(who+" invokes "+fn, f.Decision, [2]string{"principal", who}, [2]string{"function", fn})
		}
	}
	for _, e := range accessExpectations(res, scope) {
		add(e.Name, e.Result, [2]string{"function", e.Function}, [2]string{"action", e.Action}, [2]string{"resource", e.Resource})
	}
	file := hclwrite.NewEmptyFile()
	body := file.Body()
	for _, name := range order {
		r, ok := byName[name]
		if !ok {
			continue
		}
		b := body.AppendNewBlock("expect", []string{r.name}).Body()
		for _, a := range r.attrs {
			b.SetAttributeValue(a[0], cty.StringVal(a[1]))
		}
		body.AppendNewline()
	}
	return file.Bytes()
}

// accessExpectations are the access flows in scope as expectations,
// sorted by function, resource and action. Each result is what Check
// decides for it today (the most granting flow that matches, which may be
// a broader grant than the flow it came from), so a recorded file passes.
func accessExpectations(res *flow.Result, scope AccessScope) []Expectation {
	if scope == AccessNone {
		return nil
	}
	seen := map[string]bool{}
	var out []Expectation
	for _, f := range res.Flows {
		if f.Kind != flow.KindAccess || f.Function == nil || f.Resource == nil || f.Decision == flow.Denied {
			continue
		}
		resource := cmpOr(f.Resource.Address, f.Resource.ARN)
		if scope == AccessRisky && !f.CrossAccount && (resource == "*" || f.Level != "Write" && f.Level != "Permissions management") {
			continue
		}
		fn := cmpOr(f.Function.Address, f.Function.ARN)
		if fn == "" || resource == "" {
			continue
		}
		actions := slices.Clone(f.Actions)
		slices.SortFunc(actions, func(a, b string) int {
			return cmp.Or(cmp.Compare(actionPriority(a), actionPriority(b)), cmp.Compare(a, b))
		})
		for _, a := range actions[:min(len(actions), MaxRecordedActions)] {
			name := fn + " may " + a + " on " + resource
			if seen[name] {
				continue
			}
			seen[name] = true
			out = append(out, Expectation{Name: name, Kind: KindAccess, Function: fn, Action: a, Resource: resource})
		}
	}
	slices.SortFunc(out, func(a, b Expectation) int {
		return cmp.Or(cmp.Compare(a.Function, b.Function), cmp.Compare(a.Resource, b.Resource), cmp.Compare(a.Action, b.Action))
	})
	for i := range out {
		out[i].Result = checkAccess(res, out[i]).Got
	}
	return out
}

// destructiveVerbs rank the actions a capped recording keeps first: those
// that destroy or replace data and policies before those that add.
var destructiveVerbs = []string{"Delete", "Purge", "Remove", "Terminate", "Put", "Update", "Set", "Attach", "Detach", "Pass", "Send", "Publish", "Invoke", "Add", "Create"}

func actionPriority(action string) int {
	_, name, _ := strings.Cut(action, ":")
	for i, v := range destructiveVerbs {
		if strings.HasPrefix(name, v) {
			return i
		}
	}
	return len(destructiveVerbs)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Names are the names of the expectations, for Record.
func Names(exps []Expectation) map[string]bool {
	m := make(map[string]bool, len(exps))
	for _, e := range exps {
		m[e.Name] = true
	}
	return m
}

func smallCount(v cty.Value) (int, bool) {
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.Number {
		return 0, false
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return 0, false
	}
	n, _ := bf.Int64()
	if n < 0 || n > 1_000_000 {
		return 0, false
	}
	return int(n), true
}

// parseCount reads a count expectation: count = KIND, optional function
// and result filters, and min and/or max.
func parseCount(e Expectation, vals map[string]string, bounds map[string]int, r hcl.Range) (Expectation, hcl.Diagnostics) {
	e.Kind, e.Count, e.Function = KindCount, flow.Kind(vals["count"]), vals["function"]
	switch e.Count {
	case flow.KindInvoke, flow.KindAccess, flow.KindReach, flow.KindChain:
	default:
		return e, hcl.Diagnostics{errAt(r, "expect %q: count = invoke, access, reach or chain", e.Name)}
	}
	if vals["flow"] != "" || vals["action"] != "" || vals["resource"] != "" || vals["principal"] != "" {
		return e, hcl.Diagnostics{errAt(r, "expect %q: count goes with function, result, min and max only", e.Name)}
	}
	switch d := flow.Decision(vals["result"]); d {
	case "", flow.Allowed, flow.Denied, flow.Conditional, flow.Unknown:
		e.Result = d
	default:
		return e, hcl.Diagnostics{errAt(r, "expect %q: result = allowed, denied, conditional or unknown", e.Name)}
	}
	e.Min, e.Max = -1, -1
	if n, ok := bounds["min"]; ok {
		e.Min = n
	}
	if n, ok := bounds["max"]; ok {
		e.Max = n
	}
	if e.Min < 0 && e.Max < 0 || e.Max >= 0 && e.Min > e.Max {
		return e, hcl.Diagnostics{errAt(r, "expect %q: give min and/or max, min not above max", e.Name)}
	}
	return e, nil
}

// checkCount counts the flows of the kind, function and decision asked.
func checkCount(res *flow.Result, e Expectation) Outcome {
	n := 0
	for _, f := range res.Flows {
		if f.Kind != e.Count || e.Result != "" && f.Decision != e.Result {
			continue
		}
		if e.Function != "" {
			var r *flow.Ref
			switch {
			case f.Function != nil:
				r = &f.Function.Ref
			case f.Trigger != nil:
				r = &f.Trigger.Function.Ref
			case f.Target != nil:
				r = f.Target
			}
			if r == nil || !matchName(e.Function, *r) {
				continue
			}
		}
		n++
	}
	pass := (e.Min < 0 || n >= e.Min) && (e.Max < 0 || n <= e.Max)
	return Outcome{Pass: pass, Count: n, Detail: fmt.Sprintf("%d %s flow(s)", n, e.Count)}
}
