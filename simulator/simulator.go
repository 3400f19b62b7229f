// Package simulator turns an inventory into flows: every trigger → invoke
// → resource-access path, decided step by step by the IAM engine with the
// statements that decided each step. It reads the inventory (never a
// source) and writes flow records (package flow) for the rules and reports.
//
// Flows: invocation flows per trigger and function URL (invoke.go), what
// each execution role can reach (access.go), who outside can invoke a
// function or assume its role (reach.go), and multi-hop chains and loops
// (chain.go). Decisions are four-valued: a step through an unresolved value
// or an unknown context key is unknown or conditional, never certain.
package simulator

import (
	"context"
	"sort"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Options tune a simulation.
type Options struct {
	// MaxDepth bounds chains: the number of functions on a path (default 4).
	MaxDepth int
	// OrgID, when known, is the organization of the inventory's accounts
	// (aws:PrincipalOrgID of its principals).
	OrgID string
	// Catalog is the action catalog; nil means the embedded one.
	Catalog *awsref.Catalog
	// PerResource decides a wildcard grant on every inventory resource it
	// covers, one flow each, instead of one flow per resource set. Output
	// grows as functions × resources: for comparisons and small inputs.
	PerResource bool
	// Progress, when set, is called as functions are decided (done of
	// total), from one goroutine, for a progress display.
	Progress func(done, total int)
	// searchEveryLoop, for tests, makes the loop search take no shortcut.
	searchEveryLoop bool
}

// Simulate computes every flow of inv. The output order is deterministic.
func Simulate(ctx context.Context, inv *inventory.Inventory, opts Options) (*flow.Result, error) {
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 4
	}
	cat := opts.Catalog
	if cat == nil {
		cat = awsref.Default()
	}
	w := newWorld(inv, cat, opts)
	var flows []flow.Flow
	flows = append(flows, w.invokeFlows()...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	flows = append(flows, w.accessFlows()...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	flows = append(flows, w.reachFlows()...)
	flows = append(flows, w.principalFlows()...)
	flows = append(flows, w.chainFlows(flows, opts.MaxDepth)...)
	sort.SliceStable(flows, func(i, j int) bool {
		if ki, kj := kindRank(flows[i].Kind), kindRank(flows[j].Kind); ki != kj {
			return ki < kj
		}
		return flows[i].ID < flows[j].ID
	})
	flows = dedupeIDs(flows)
	facts := w.facts()
	indexBlockSpans(inv).pointAtBlocks(flows, facts)
	for _, f := range inv.Functions {
		for _, u := range f.Unknown {
			w.addUnknown(f.Address, u.Field, u.Reason, u.File, u.Line)
		}
	}
	for _, u := range inv.Unknown {
		w.addUnknown(u.Address, "", u.Reason, u.File, u.Line)
	}
	sort.SliceStable(w.unknown, func(i, j int) bool {
		a, b := w.unknown[i], w.unknown[j]
		if a.Address != b.Address {
			return a.Address < b.Address
		}
		return a.Field < b.Field
	})
	res := &flow.Result{Schema: flow.SchemaVersion, Flows: flows, Unknowns: w.unknown, ResourceSets: w.resourceSets(), Facts: facts}
	if res.Unknowns == nil {
		res.Unknowns = []flow.UnknownValue{}
	}
	if res.Flows == nil {
		res.Flows = []flow.Flow{}
	}
	return res, nil
}

func kindRank(k flow.Kind) int {
	switch k {
	case flow.KindInvoke:
		return 0
	case flow.KindAccess:
		return 1
	case flow.KindReach:
		return 2
	}
	return 3
}

// dedupeIDs keeps flow ids unique (two triggers can share an address, e.g.
// one notification resource with several function blocks).
func dedupeIDs(flows []flow.Flow) []flow.Flow {
	count := map[string]int{}
	for i := range flows {
		id := flows[i].ID
		count[id]++
		if n := count[id]; n > 1 {
			flows[i].ID = id + "#" + itoa(n)
		}
	}
	return flows
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
