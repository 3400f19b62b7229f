package rules

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Input is what the rules judge.
type Input struct {
	Inventory *inventory.Inventory
	Flows     []flow.Flow
	// Facts are the engine's answers about the policies themselves
	// (flow.Result.Facts); nil is none.
	Facts *flow.Facts
	// TrustedAccounts are outside accounts the team accepts (settings).
	TrustedAccounts []string
	// Accounts are the application's own accounts besides the inventory's.
	Accounts []string
	OrgID    string
	// Today dates deprecation checks; zero means the current UTC date.
	Today time.Time
	// Converted, when it holds this Inventory, is its Rego value made
	// ahead of time (ConvertInventory), e.g. while the flows were simulated.
	Converted *ConvertedInventory
}

// ConvertedInventory is an inventory converted to a Rego value.
type ConvertedInventory struct {
	inv    *inventory.Inventory
	fields map[string]bool
	term   *ast.Term
	err    error
}

// ConvertInventory converts inv for e's rules ahead of Evaluate: the
// inventory does not depend on the flows, so its conversion can run while
// they are simulated.
func (e *Engine) ConvertInventory(inv *inventory.Inventory) *ConvertedInventory {
	t, err := newConverter(e.fields).term(reflect.ValueOf(inv))
	return &ConvertedInventory{inv: inv, fields: e.fields, term: t, err: err}
}

// runtimesJSON is ../shared/data/lambda-runtimes.json, copied by go generate
// so the binary carries the runtime lifecycle dates.
//
//go:generate cp ../../../shared/data/lambda-runtimes.json data/lambda-runtimes.json
//go:embed data/lambda-runtimes.json
var runtimesJSON []byte

// runtimesValue is the runtime table as a Rego value, converted once.
var runtimesValue = sync.OnceValues(func() (ast.Value, error) {
	return ast.ValueFromReader(bytes.NewReader(runtimesJSON))
})

// inputDoc is the input document of the rules contract.
type inputDoc struct {
	Inventory *inventory.Inventory `json:"inventory"`
	Flows     []flow.Flow          `json:"flows"`
	Facts     *flow.Facts          `json:"facts"`
	Settings  settingsDoc          `json:"settings"`
}

type settingsDoc struct {
	TrustedAccounts []string `json:"trusted_accounts"`
	OrgID           string   `json:"org_id"`
	Accounts        []string `json:"accounts"`
	Today           string   `json:"today"`
}

// doc is the input document without the runtime table.
func (in Input) doc() inputDoc {
	inv := in.Inventory
	if inv == nil {
		inv = &inventory.Inventory{}
	}
	today := in.Today
	if today.IsZero() {
		today = time.Now().UTC()
	}
	accounts := slices.Clone(in.Accounts)
	if inv.Account != "" {
		accounts = append(accounts, inv.Account)
	}
	sort.Strings(accounts)
	doc := inputDoc{
		Inventory: inv,
		Flows:     in.Flows,
		Facts:     in.Facts,
		Settings: settingsDoc{
			TrustedAccounts: nonNil(in.TrustedAccounts),
			OrgID:           in.OrgID,
			Accounts:        nonNil(slices.Compact(accounts)),
			Today:           today.Format(time.DateOnly),
		},
	}
	if doc.Flows == nil {
		doc.Flows = []flow.Flow{}
	}
	if doc.Facts == nil {
		doc.Facts = &flow.Facts{}
	}
	return doc
}

// Value converts the whole input to a Rego value once; the runtime table
// joins it already converted.
func (in Input) Value() (ast.Value, error) {
	return in.value(nil)
}

// value converts the input keeping only the struct members named in
// fields (all of them when fields is nil).
func (in Input) value(fields map[string]bool) (ast.Value, error) {
	doc := in.doc()
	// The flows are most of the input: they convert in parallel chunks,
	// each with its own converter, while another goroutine converts the
	// inventory. Terms are immutable, so chunks need not share caches.
	chunks := max(1, min(runtime.GOMAXPROCS(0), len(doc.Flows)/2000))
	flowTerms := make([][]*ast.Term, chunks)
	errs := make([]error, chunks+1)
	var inv, settings, facts *ast.Term
	var wg sync.WaitGroup
	for i := range chunks {
		lo, hi := i*len(doc.Flows)/chunks, (i+1)*len(doc.Flows)/chunks
		wg.Go(func() {
			c := newConverter(fields)
			out := make([]*ast.Term, 0, hi-lo)
			for _, f := range doc.Flows[lo:hi] {
				t, err := c.term(reflect.ValueOf(f))
				if err != nil {
					errs[i] = fmt.Errorf("flow %s: %w", f.ID, err)
					return
				}
				out = append(out, t)
			}
			flowTerms[i] = out
		})
	}
	wg.Go(func() {
		c := newConverter(fields)
		var err error
		if cv := in.Converted; cv != nil && cv.inv == in.Inventory && in.Inventory != nil && sameFields(cv.fields, fields) {
			inv, err = cv.term, cv.err
		} else {
			inv, err = c.term(reflect.ValueOf(doc.Inventory))
		}
		if err != nil {
			errs[chunks] = fmt.Errorf("inventory: %w", err)
			return
		}
		if settings, err = c.term(reflect.ValueOf(doc.Settings)); err != nil {
			errs[chunks] = fmt.Errorf("settings: %w", err)
			return
		}
		if facts, err = c.term(reflect.ValueOf(doc.Facts)); err != nil {
			errs[chunks] = fmt.Errorf("facts: %w", err)
		}
	})
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("convert rules input: %w", err)
		}
	}
	rt, err := runtimesValue()
	if err != nil {
		return nil, fmt.Errorf("runtime table: %w", err)
	}
	return ast.NewObject(
		[2]*ast.Term{ast.InternedTerm("facts"), facts},
		[2]*ast.Term{ast.InternedTerm("flows"), ast.NewTerm(ast.NewArray(slices.Concat(flowTerms...)...))},
		[2]*ast.Term{ast.InternedTerm("inventory"), inv},
		[2]*ast.Term{ast.InternedTerm("runtimes"), ast.NewTerm(rt)},
		[2]*ast.Term{ast.InternedTerm("settings"), settings},
	), nil
}

// sameFields reports whether two projections are the same one (both
// whole, or the one set an engine computed).
func sameFields(a, b map[string]bool) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Evaluate runs every rule over the input in one pass and returns the
// findings sorted worst first, with file/line filled from the inventory
// where the rule gave none, and fingerprints set.
func (e *Engine) Evaluate(ctx context.Context, in Input) ([]Finding, error) {
	if !e.hasAny {
		return []Finding{}, nil
	}
	v, err := in.value(e.fields)
	if err != nil {
		return nil, err
	}
	return e.EvaluateValue(ctx, v, in.Inventory)
}

// EvaluateValue evaluates an input already converted by Input.Value.
func (e *Engine) EvaluateValue(ctx context.Context, input ast.Value, inv *inventory.Inventory) ([]Finding, error) {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	timed := ctx
	ctx, stopWatch := watchHeap(ctx, e.memory)
	defer stopWatch()
	cache := topdown.NewVirtualCache()
	locate := originIndex(inv)
	findings := []Finding{}
	for _, q := range e.queries {
		rule := q.rule
		// OPA notices a cancelled context asynchronously, so a quick rule
		// may still finish; a context already done ends the loop here.
		rs, err := q.query.Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(cache))
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			line := e.line[strings.TrimPrefix(rule.Package, "data.")]
			if errors.Is(context.Cause(ctx), errRuleMemory) && timed.Err() == nil {
				return nil, fmt.Errorf("%s:%d: rule %s grew the heap by more than the rule memory budget of %s; raise it with --rule-memory",
					rule.File, line, rule.ID, mib(e.memory))
			}
			if errors.Is(timed.Err(), context.DeadlineExceeded) && parent.Err() == nil {
				return nil, fmt.Errorf("%s:%d: rule %s did not finish within the rule timeout of %s; raise it with --rule-timeout",
					rule.File, line, rule.ID, e.timeout)
			}
			return nil, fmt.Errorf("evaluate rules: %w", regoError(err))
		}
		if len(rs) == 0 || len(rs[0].Expressions) == 0 {
			continue
		}
		items, _ := rs[0].Expressions[0].Value.([]any)
		for _, item := range items {
			f, err := findingFrom(rule, item)
			if err != nil {
				return nil, err
			}
			if f.File == "" {
				if o, ok := locate(f.Address); ok {
					f.Span = o.Span
				}
			}
			f.Fingerprint = fingerprint(f)
			findings = append(findings, f)
		}
	}
	slices.SortFunc(findings, compareFindings)
	return findings, nil
}

// findingFrom reads one element of a deny set: an object per the rules
// contract, or (leniently) a bare message string.
func findingFrom(r *Rule, item any) (Finding, error) {
	f := Finding{
		Rule: r.ID, ShortCode: r.ShortCode, Severity: r.Severity, Title: r.Title,
		Remediation: r.Remediation, Flows: []string{},
	}
	switch v := item.(type) {
	case string:
		f.Message = v
		return f, nil
	case map[string]any:
		f.Message, _ = v["message"].(string)
		f.Address, _ = v["address"].(string)
		f.File, _ = v["file"].(string)
		switch n := v["line"].(type) {
		case json.Number:
			i, _ := n.Int64()
			f.Line = int(i)
		case float64:
			f.Line = int(n)
		}
		switch fl := v["flows"].(type) {
		case []any:
			for _, x := range fl {
				if s, ok := x.(string); ok {
					f.Flows = append(f.Flows, s)
				}
			}
		case string:
			f.Flows = append(f.Flows, fl)
		}
		sort.Strings(f.Flows)
		f.Flows = slices.Compact(f.Flows)
		if f.Message == "" {
			return f, fmt.Errorf("%s (%s): a deny entry has no message: %v", r.ID, r.File, v)
		}
		return f, nil
	}
	return f, fmt.Errorf("%s (%s): a deny entry is %T, want an object with message and address", r.ID, r.File, item)
}

// originIndex maps Terraform addresses and ARNs of everything in the
// inventory to where it is defined.
func originIndex(inv *inventory.Inventory) func(string) (inventory.Origin, bool) {
	idx := map[string]inventory.Origin{}
	if inv == nil {
		return func(string) (inventory.Origin, bool) { return inventory.Origin{}, false }
	}
	add := func(o inventory.Origin, arn string) {
		if o.File == "" {
			return
		}
		if _, ok := idx[o.Address]; !ok && o.Address != "" {
			idx[o.Address] = o
		}
		if _, ok := idx[arn]; !ok && arn != "" {
			idx[arn] = o
		}
	}
	addPolicy := func(p *inventory.Policy) {
		if p != nil {
			add(p.Origin, p.ARN)
		}
	}
	for _, f := range inv.Functions {
		add(f.Origin, f.ARN)
		for _, a := range f.Aliases {
			add(a.Origin, a.ARN)
		}
		for _, u := range f.URLs {
			add(u.Origin, "")
		}
		for _, c := range f.AsyncConfigs {
			add(c.Origin, "")
		}
		for _, p := range f.Permissions {
			add(p.Origin, "")
		}
	}
	for _, r := range inv.Roles {
		add(r.Origin, r.ARN)
		addPolicy(r.TrustPolicy)
		for i := range r.InlinePolicies {
			addPolicy(&r.InlinePolicies[i])
		}
		for i := range r.AttachedPolicies {
			addPolicy(&r.AttachedPolicies[i])
		}
		addPolicy(r.PermissionsBoundary)
	}
	for i := range inv.Policies {
		addPolicy(&inv.Policies[i].Policy)
	}
	for _, r := range inv.Resources {
		add(r.Origin, r.ARN)
		addPolicy(r.Policy)
	}
	for _, t := range inv.Triggers {
		add(t.Origin, "")
	}
	for i := range inv.SCPs {
		addPolicy(&inv.SCPs[i].Policy)
	}
	return func(addr string) (inventory.Origin, bool) {
		if o, ok := idx[addr]; ok {
			return o, true
		}
		// A qualified function ARN (…:function:name:alias) points at the function.
		if i := strings.Index(addr, ":function:"); i > 0 {
			rest := addr[i+len(":function:"):]
			if j := strings.IndexByte(rest, ':'); j > 0 {
				o, ok := idx[addr[:i+len(":function:")+j]]
				return o, ok
			}
		}
		return inventory.Origin{}, false
	}
}
