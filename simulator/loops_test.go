package simulator

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	catalog "github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/fixtures/gen/estate"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// The loop search's shortcut (a first-level closing found by index) reports
// exactly the loops the full search reports, on estates where most loops
// close at the first level (functions granted every queue or topic) and on
// the fixture built around loops.
func TestLoopShortcutReportsTheSameLoops(t *testing.T) {
	gen := filepath.Join(t.TempDir(), "broad")
	if _, err := estate.Write(gen, estate.Options{Functions: 400, Broad: true, BadRate: 0.2}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, dir := range []string{gen, "../fixtures/recursive-loop"} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			inv, err := terraform.Load(ctx, dir, terraform.Options{Catalog: catalog.Default(), Account: "123456789012", Region: "eu-west-1"})
			if err != nil {
				t.Fatal(err)
			}
			loops := func(opts Options) []flow.Flow {
				res, err := Simulate(ctx, inv, opts)
				if err != nil {
					t.Fatal(err)
				}
				var out []flow.Flow
				for _, f := range res.Flows {
					if f.Kind == flow.KindChain && f.Loop {
						out = append(out, f)
					}
				}
				return out
			}
			fast, full := loops(Options{}), loops(Options{searchEveryLoop: true})
			if len(full) == 0 {
				t.Fatal("no loops: the comparison proves nothing")
			}
			if !reflect.DeepEqual(fast, full) {
				t.Errorf("with the shortcut %d loops, searching every one %d; they differ", len(fast), len(full))
			}
			t.Logf("%d loops", len(full))
		})
	}
}

// selfClosing finds the first of a function's edges that fires it, and in
// that edge's node the first invoke of it the node does not leave out; it
// declines where a search would take the node from an earlier variant's
// leftovers.
func TestSelfClosing(t *testing.T) {
	acc := func(id string) *flow.Flow { return &flow.Flow{ID: id} }
	inv := func(id string) *flow.Flow { return &flow.Flow{ID: id} }
	toOther, toSelfA, toSelfB := inv("other"), inv("self-a"), inv("self-b")
	base := &srcNode{invokes: []invEdge{{inv: toOther, to: 1, key: "q1"}, {inv: toSelfA, to: 0, key: "qa"}, {inv: toSelfB, to: 0, key: "qb"}}, base: 1}
	variant := &srcNode{invokes: base.invokes, except: map[string]bool{"qa": true}, base: 1}
	other := &srcNode{invokes: []invEdge{{inv: toOther, to: 1, key: "q1"}}, base: 0}
	g := &chainGraph{fns: []string{"f", "g"}, srcs: []*srcNode{other, base, variant}}

	g.out = [][]accEdge{{{acc: acc("a0"), src: 0}, {acc: acc("a1"), src: 2}}, nil}
	h, ok := g.selfClosing(0)
	if !ok || h.src != 2 || h.inv != toSelfB || h.acc.ID != "a1" || h.from != 0 {
		t.Errorf("variant leaving qa out: got %+v %v, want the invoke via qb", h, ok)
	}
	g.out = [][]accEdge{{{acc: acc("a0"), src: 0}, {acc: acc("a1"), src: 1}}, nil}
	if h, ok := g.selfClosing(0); !ok || h.inv != toSelfA {
		t.Errorf("base: got %+v %v, want the first invoke of f (qa)", h, ok)
	}
	g.out = [][]accEdge{{{acc: acc("a0"), src: 0}}, nil}
	if _, ok := g.selfClosing(0); ok {
		t.Error("no edge fires f, yet a closing was found")
	}
	// A variant whose base an earlier edge took (leaving f out) is taken
	// from that edge's leftovers: the search decides.
	variantNoSelf := &srcNode{invokes: base.invokes, except: map[string]bool{"qa": true, "qb": true}, base: 1}
	g.srcs = append(g.srcs, variantNoSelf)
	g.out = [][]accEdge{{{acc: acc("a0"), src: 3}, {acc: acc("a1"), src: 2}}, nil}
	if _, ok := g.selfClosing(0); ok {
		t.Error("a variant after another of the same base closed by index")
	}
	g.out = [][]accEdge{{{acc: acc("direct"), src: -1, fn: 0}, {acc: acc("a1"), src: 1}}, nil}
	if h, ok := g.selfClosing(0); !ok || h.src != -1 || h.acc.ID != "direct" || h.action != "lambda:InvokeFunction" {
		t.Errorf("direct self-invoke first: got %+v %v", h, ok)
	}
}
