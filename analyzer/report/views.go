package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// TableView is which parts of a run the table format shows.
type TableView string

// The table views of a run.
const (
	// ViewAll is every flow table, then the findings (the default).
	ViewAll TableView = "all"
	// ViewFindings is the findings and the verdict line alone.
	ViewFindings TableView = "findings"
	// ViewFlows is the flow tables alone.
	ViewFlows TableView = "flows"
	// ViewSummary is one line per function, then the verdict line.
	ViewSummary TableView = "summary"
	// ViewAuto is the view for a terminal: all of it for a small
	// application, the findings then the per-function summary when there
	// are more than SummaryThreshold flows (tens of thousands of rows help
	// nobody on a screen).
	ViewAuto TableView = "auto"
)

// SummaryThreshold is the number of flows above which ViewAuto summarises.
const SummaryThreshold = 50

// TableViews are the views --view accepts.
var TableViews = []TableView{ViewSummary, ViewFindings, ViewFlows, ViewAll}

// ParseTableView checks a --view value.
func ParseTableView(name string) (TableView, error) {
	names := make([]string, len(TableViews))
	for i, v := range TableViews {
		if string(v) == name {
			return v, nil
		}
		names[i] = string(v)
	}
	return "", fmt.Errorf("view %q: want %s", name, orList(names))
}

// Viewer is a format whose output a TableView selects.
type Viewer interface {
	SetView(TableView)
}

// SetView selects what Write shows; the zero value shows everything.
func (t *runTable) SetView(v TableView) { t.view = v }

func (t *runTable) needsFlowTables(res *flow.Result) bool {
	switch t.view {
	case ViewFindings, ViewSummary:
		return false
	case ViewAuto:
		return res == nil || len(res.Flows) <= SummaryThreshold
	}
	return true
}

// functionSummary is one function's line of the summary view.
type functionSummary struct {
	triggersOK, triggersBroken, triggersUnclear int
	// reach counts the resources each access level reaches (allowed or
	// conditional), the resources outside the inventory as one.
	reach map[string]map[string]bool
	// public and crossAcct are "yes", "maybe" (the decision depends on an
	// unknown value) or "" for no.
	public, crossAcct string
}

// exposure is the stronger of two answers to "can they reach it".
func exposure(was string, d flow.Decision) string {
	if was == "yes" || d == flow.Allowed || d == flow.Conditional {
		return "yes"
	}
	return "maybe"
}

func noIfEmpty(s string) string {
	if s == "" {
		return "no"
	}
	return s
}

// FunctionSummaryTable writes one line per function: its triggers that
// invoke it (ok), that cannot (broken) and that depend on a condition or
// an unknown value, how many resources each access level reaches, and
// whether the public or another account can invoke it or assume its role
// ("maybe" when that depends on a value the input did not resolve).
func FunctionSummaryTable(w io.Writer, r *Report) error {
	byFn := map[string]*functionSummary{}
	get := func(addr string) *functionSummary {
		s := byFn[addr]
		if s == nil {
			s = &functionSummary{reach: map[string]map[string]bool{}}
			byFn[addr] = s
		}
		return s
	}
	// Reach flows name the function or its execution role.
	byRole := map[string][]string{}
	if r.Inventory != nil {
		for _, fn := range r.Inventory.Functions {
			get(fn.Address)
			if fn.Role != "" {
				byRole[fn.Role] = append(byRole[fn.Role], fn.Address)
			}
		}
	}
	if r.Flows != nil {
		for _, f := range r.Flows.Flows {
			switch f.Kind {
			case flow.KindInvoke:
				s := get(f.Trigger.Function.Address)
				switch f.Decision {
				case flow.Allowed:
					s.triggersOK++
				case flow.Denied:
					s.triggersBroken++
				default:
					s.triggersUnclear++
				}
			case flow.KindAccess:
				if f.Function == nil || f.Decision == flow.Denied || f.Decision == flow.Unknown {
					continue
				}
				s := get(f.Function.Address)
				if s.reach[f.Level] == nil {
					s.reach[f.Level] = map[string]bool{}
				}
				res := f.Resource.ARN
				if f.Outside {
					res = "(outside)"
				}
				s.reach[f.Level][res] = true
			case flow.KindReach:
				if f.Target == nil || f.Decision == flow.Denied {
					continue
				}
				targets := byRole[f.Target.ARN]
				if len(targets) == 0 {
					targets = []string{f.Target.Address}
				}
				for _, addr := range targets {
					s := get(addr)
					switch {
					case strings.HasPrefix(f.Reach, "public"):
						s.public = exposure(s.public, f.Decision)
					case f.Reach == "account":
						s.crossAcct = exposure(s.crossAcct, f.Decision)
					}
				}
			}
		}
	}
	addrs := make([]string, 0, len(byFn))
	for a := range byFn {
		if a != "" {
			addrs = append(addrs, a)
		}
	}
	sort.Strings(addrs)
	rows := make([][]string, 0, len(addrs))
	for _, a := range addrs {
		s := byFn[a]
		triggers := fmt.Sprintf("%d ok, %d broken", s.triggersOK, s.triggersBroken)
		if s.triggersUnclear > 0 {
			triggers += fmt.Sprintf(", %d unclear", s.triggersUnclear)
		}
		rows = append(rows, []string{a, triggers, reachByLevel(s.reach), noIfEmpty(s.public), noIfEmpty(s.crossAcct)})
	}
	fmt.Fprintf(w, "Functions (%d)\n", len(rows))
	if len(rows) == 0 {
		return nil
	}
	return Table(w, []string{"FUNCTION", "TRIGGERS", "REACH BY LEVEL", "PUBLIC", "CROSS-ACCOUNT"}, rows)
}

// accessLevels orders the levels of the reach column, most dangerous first.
var accessLevels = []string{"Permissions management", "Write", "Tagging", "Read", "List"}

func reachByLevel(reach map[string]map[string]bool) string {
	var parts []string
	seen := map[string]bool{}
	for _, l := range accessLevels {
		if n := len(reach[l]); n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", l, n))
		}
		seen[l] = true
	}
	var other []string
	for l, set := range reach {
		if !seen[l] && len(set) > 0 {
			other = append(other, fmt.Sprintf("%s %d", l, len(set)))
		}
	}
	sort.Strings(other)
	parts = append(parts, other...)
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}
