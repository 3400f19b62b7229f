// Package audit selects from simulated flows what a cross-account audit
// asks: who outside the application's accounts (and the public) can invoke
// each function, and which resources in other accounts each function can
// reach, each with the statements that grant it.
//
// Place: after flows; the report package prints what it returns.
package audit

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Entry is one outside principal's invoke or one outside resource reached.
type Entry struct {
	Function  string        `json:"function"`
	Direction string        `json:"direction"` // "inbound" (who invokes) or "outbound" (what it reaches)
	Who       string        `json:"who"`       // principal, or the resource reached
	Reach     string        `json:"reach,omitempty"`
	Actions   []string      `json:"actions,omitempty"`
	Decision  flow.Decision `json:"decision"`
	Flow      string        `json:"flow"`
	Granted   []string      `json:"granted_by"`
}

// CrossAccount lists, for every function, the public and the accounts
// that may invoke it, and the resources in other accounts it can reach;
// denied flows are left out. Services are not outside principals here.
func CrossAccount(res *flow.Result) []Entry {
	out := []Entry{}
	for _, f := range res.Flows {
		if f.Decision == flow.Denied {
			continue
		}
		switch {
		case f.Kind == flow.KindReach && f.Target != nil && (f.Reach == "public" || f.Reach == "public-url" || f.Reach == "account"):
			who := f.Principal
			if f.Reach != "account" {
				who = "* (public)"
			}
			out = append(out, Entry{Function: cmp.Or(f.Target.Address, f.Target.ARN), Direction: "inbound", Who: who, Reach: f.Reach, Decision: f.Decision, Flow: f.ID, Granted: granting(f)})
		case f.Kind == flow.KindAccess && f.CrossAccount && f.Function != nil && f.Resource != nil:
			out = append(out, Entry{Function: cmp.Or(f.Function.Address, f.Function.ARN), Direction: "outbound", Who: cmp.Or(f.Resource.ARN, f.Resource.Address), Actions: f.Actions, Decision: f.Decision, Flow: f.ID, Granted: granting(f)})
		}
	}
	slices.SortFunc(out, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.Function, b.Function), cmp.Compare(a.Direction, b.Direction), cmp.Compare(a.Flow, b.Flow))
	})
	return out
}

// granting names the Allow statements of a flow's steps.
func granting(f flow.Flow) []string {
	out := []string{}
	for _, s := range f.Steps {
		for _, st := range s.Statements {
			if st.Effect != "Allow" {
				continue
			}
			name := st.Policy
			if st.Sid != "" {
				name += "#" + st.Sid
			} else {
				name += fmt.Sprintf("[%d]", st.Index)
			}
			if st.File != "" && st.Line > 0 {
				name += fmt.Sprintf(" (%s:%d)", st.File, st.Line)
			}
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}
