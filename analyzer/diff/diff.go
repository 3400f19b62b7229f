// Package diff compares two judged runs (a base and a head) and says which
// flows HEAD adds, removes or changes and which findings it introduces or
// fixes. Flows are matched by their id (built from addresses or ARNs) and
// findings by fingerprint, never by file or line, so moving a block between
// files changes nothing.
//
// Place: after findings, before report: it reads two pipeline results and
// the report package prints what it returns; the gate classes
// (--fail-on-new) are decided here.
package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Side is one of the two runs compared.
type Side struct {
	Flows    *flow.Result
	Findings []rules.Finding
}

// Change is what happened to a flow between base and head.
type Change string

// The changes a flow can undergo.
const (
	Added   Change = "added"
	Removed Change = "removed"
	Changed Change = "changed"
)

// Class is a kind of new access the gate can refuse.
type Class string

// The gate classes.
const (
	Public       Class = "public"
	CrossAccount Class = "cross-account"
	Write        Class = "write"
	Admin        Class = "admin"
	Broken       Class = "broken"
	Any          Class = "any"
)

// Classes lists every class, in the order they are reported.
var Classes = []Class{Public, CrossAccount, Write, Admin, Broken, Any}

// FlowChange is one flow added, removed or changed.
type FlowChange struct {
	Change Change `json:"change"`
	// Function is the address (or ARN) of the function the flow belongs
	// to; chains are grouped under "" .
	Function string    `json:"function"`
	ID       string    `json:"id"`
	Kind     flow.Kind `json:"kind"`
	// Access is the access level (access flows) or the kind of reach.
	Access string     `json:"access"`
	Base   *flow.Flow `json:"base,omitempty"`
	Head   *flow.Flow `json:"head,omitempty"`
	// Widened is set when head grants more than base: the flow is added
	// (and not denied), its decision improves, it gains actions or it
	// covers more resources.
	Widened bool `json:"widened"`
	// What says in a few words what changed.
	What string `json:"what"`
	// Classes are the gate classes this change falls under.
	Classes []Class `json:"classes,omitempty"`
}

// FindingChange is a finding new in head or fixed (gone) in head.
type FindingChange struct {
	Finding rules.Finding `json:"finding"`
	Classes []Class       `json:"classes,omitempty"`
}

// Result is the comparison.
type Result struct {
	Flows []FlowChange    `json:"flows"`
	New   []FindingChange `json:"new_findings"`
	Fixed []FindingChange `json:"fixed_findings"`
}

// Compare matches base and head flows by id and findings by fingerprint.
func Compare(base, head Side) *Result {
	res := &Result{Flows: []FlowChange{}, New: []FindingChange{}, Fixed: []FindingChange{}}
	baseFlows := index(base.Flows)
	headFlows := index(head.Flows)
	for id, h := range headFlows {
		b, ok := baseFlows[id]
		if !ok {
			res.Flows = append(res.Flows, added(h))
			continue
		}
		if c, ok := changed(b, h); ok {
			res.Flows = append(res.Flows, c)
		}
	}
	for id, b := range baseFlows {
		if _, ok := headFlows[id]; !ok {
			res.Flows = append(res.Flows, FlowChange{Change: Removed, Function: functionOf(b), ID: id, Kind: b.Kind, Access: accessOf(b), Base: b, What: "removed (was " + string(b.Decision) + ")"})
		}
	}
	slices.SortFunc(res.Flows, func(a, b FlowChange) int {
		return cmp.Or(cmp.Compare(a.Function, b.Function), cmp.Compare(a.ID, b.ID))
	})
	basePrints := fingerprints(base.Findings)
	headPrints := fingerprints(head.Findings)
	for _, f := range head.Findings {
		if !basePrints[f.Fingerprint] {
			res.New = append(res.New, FindingChange{Finding: f, Classes: findingClasses(f)})
		}
	}
	for _, f := range base.Findings {
		if !headPrints[f.Fingerprint] {
			res.Fixed = append(res.Fixed, FindingChange{Finding: f})
		}
	}
	for _, l := range [][]FindingChange{res.New, res.Fixed} {
		slices.SortStableFunc(l, func(a, b FindingChange) int {
			return cmp.Or(cmp.Compare(a.Finding.Rule, b.Finding.Rule), cmp.Compare(a.Finding.Address, b.Finding.Address), cmp.Compare(a.Finding.Fingerprint, b.Finding.Fingerprint))
		})
	}
	return res
}

func index(r *flow.Result) map[string]*flow.Flow {
	m := map[string]*flow.Flow{}
	if r == nil {
		return m
	}
	for i := range r.Flows {
		m[r.Flows[i].ID] = &r.Flows[i]
	}
	return m
}

func fingerprints(fs []rules.Finding) map[string]bool {
	m := make(map[string]bool, len(fs))
	for _, f := range fs {
		m[f.Fingerprint] = true
	}
	return m
}

func added(h *flow.Flow) FlowChange {
	c := FlowChange{Change: Added, Function: functionOf(h), ID: h.ID, Kind: h.Kind, Access: accessOf(h), Head: h, Widened: h.Decision != flow.Denied, What: "added (" + string(h.Decision) + ")"}
	c.Classes = flowClasses(c)
	return c
}

// changed compares a flow present on both sides: decision, actions and the
// number of resources an aggregated grant covers.
func changed(b, h *flow.Flow) (FlowChange, bool) {
	var what []string
	widened := false
	if b.Decision != h.Decision {
		what = append(what, string(b.Decision)+" → "+string(h.Decision))
		if h.Decision.Rank() < b.Decision.Rank() {
			widened = true
		}
	}
	gained, lost := setDiff(b.Actions, h.Actions)
	if len(gained) > 0 {
		what = append(what, "+"+strings.Join(gained, " +"))
		widened = true
	}
	if len(lost) > 0 {
		what = append(what, "-"+strings.Join(lost, " -"))
	}
	bc, hc := coverCount(b), coverCount(h)
	if bc != hc {
		what = append(what, fmt.Sprintf("covers %d → %d", bc, hc))
		if hc > bc {
			widened = true
		}
	}
	if len(what) == 0 {
		return FlowChange{}, false
	}
	c := FlowChange{Change: Changed, Function: functionOf(h), ID: h.ID, Kind: h.Kind, Access: accessOf(h), Base: b, Head: h, Widened: widened, What: strings.Join(what, ", ")}
	c.Classes = flowClasses(c)
	return c, true
}

func coverCount(f *flow.Flow) int {
	if f.Covers == nil {
		return 0
	}
	return f.Covers.Count
}

// setDiff returns the members of b only in head (gained) and only in base
// (lost), sorted.
func setDiff(base, head []string) (gained, lost []string) {
	for _, a := range head {
		if !slices.Contains(base, a) {
			gained = append(gained, a)
		}
	}
	for _, a := range base {
		if !slices.Contains(head, a) {
			lost = append(lost, a)
		}
	}
	slices.Sort(gained)
	slices.Sort(lost)
	return gained, lost
}

// functionOf is the function a flow is grouped under.
func functionOf(f *flow.Flow) string {
	var r *flow.Ref
	switch {
	case f.Function != nil:
		r = &f.Function.Ref
	case f.Trigger != nil:
		r = &f.Trigger.Function.Ref
	case f.Target != nil:
		r = f.Target
	default:
		return ""
	}
	return cmp.Or(r.Address, r.ARN)
}

// accessOf is the access level shown beside a flow.
func accessOf(f *flow.Flow) string {
	switch f.Kind {
	case flow.KindAccess:
		return f.Level
	case flow.KindReach:
		return "invoke (" + f.Reach + " " + f.Principal + ")"
	case flow.KindInvoke:
		if f.Trigger != nil {
			return "invoke (" + f.Trigger.Type + ")"
		}
		return "invoke"
	}
	return string(f.Kind)
}

// flowClasses are the gate classes of a flow change. Removed flows and
// narrowing changes fall under none, except an invoke flow turning denied
// (a trigger broken by the change).
func flowClasses(c FlowChange) []Class {
	var out []Class
	h := c.Head
	if c.Kind == flow.KindInvoke && h.Decision == flow.Denied && (c.Base == nil || c.Base.Decision != flow.Denied) {
		out = append(out, Broken)
	}
	if c.Widened {
		switch c.Kind {
		case flow.KindReach:
			switch h.Reach {
			case "public", "public-url":
				out = append(out, Public)
			case "account":
				out = append(out, CrossAccount)
			}
		case flow.KindAccess:
			if h.CrossAccount {
				out = append(out, CrossAccount)
			}
			if h.Level == "Write" || h.Level == "Permissions management" {
				out = append(out, Write)
			}
		}
		out = append(out, Any)
	}
	return out
}

// findingClasses are the gate classes of a new finding; every new finding
// is under "any".
func findingClasses(f rules.Finding) []Class {
	var out []Class
	switch f.ShortCode {
	case "admin-or-wildcard-role", "privilege-escalation-actions":
		out = append(out, Admin)
	case "broken-trigger":
		out = append(out, Broken)
	case "public-invoke", "function-url-without-auth":
		out = append(out, Public)
	case "cross-account-invoke", "cross-account-egress":
		out = append(out, CrossAccount)
	}
	if f.Suppressed != nil {
		// A waived finding never fails a gate.
		return nil
	}
	return append(out, Any)
}

// ParseClasses reads a --fail-on-new list: comma-separated class names.
func ParseClasses(s string) ([]Class, error) {
	var out []Class
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !slices.Contains(Classes, Class(part)) {
			names := make([]string, len(Classes))
			for i, c := range Classes {
				names[i] = string(c)
			}
			return nil, fmt.Errorf("%q: want a comma-separated list of %s", part, strings.Join(names, ", "))
		}
		if !slices.Contains(out, Class(part)) {
			out = append(out, Class(part))
		}
	}
	return out, nil
}

// Violation is one change the gate refuses, with the class it falls under.
type Violation struct {
	Class Class
	What  string
}

// Violations are the changes under any of the classes, in report order.
func (r *Result) Violations(classes []Class) []Violation {
	var out []Violation
	for _, c := range r.Flows {
		for _, cl := range c.Classes {
			if slices.Contains(classes, cl) {
				out = append(out, Violation{Class: cl, What: "flow " + c.ID + " " + c.What})
				break
			}
		}
	}
	for _, f := range r.New {
		for _, cl := range f.Classes {
			if slices.Contains(classes, cl) {
				out = append(out, Violation{Class: cl, What: "finding " + f.Finding.Rule + " " + f.Finding.ShortCode + " on " + f.Finding.Address})
				break
			}
		}
	}
	return out
}

// Counts are the totals shown in the verdict.
type Counts struct {
	Added, Removed, Changed, Widened, New, Fixed int
}

// Counts totals the changes.
func (r *Result) Counts() Counts {
	var c Counts
	for _, f := range r.Flows {
		switch f.Change {
		case Added:
			c.Added++
		case Removed:
			c.Removed++
		case Changed:
			c.Changed++
		}
		if f.Widened {
			c.Widened++
		}
	}
	c.New, c.Fixed = len(r.New), len(r.Fixed)
	return c
}

// Verdict is the one-line summary of the comparison.
func (r *Result) Verdict() string {
	c := r.Counts()
	if c.Added+c.Removed+c.Changed+c.New+c.Fixed == 0 {
		return "no change in flows or findings"
	}
	s := fmt.Sprintf("%d flow(s) added, %d removed, %d changed; %d new finding(s), %d fixed", c.Added, c.Removed, c.Changed, c.New, c.Fixed)
	if c.Widened > 0 || c.New > 0 {
		return s + "; access widened"
	}
	return s + "; access only narrowed"
}
