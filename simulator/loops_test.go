package simulator

import (
	"context"
	"fmt"
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
	dirs := []string{"../fixtures/recursive-loop"}
	for _, o := range []estate.Options{{Functions: 400, Broad: true, BadRate: 0.2}, {Functions: 300, Broad: true, BadRate: 0.4, Seed: 7}} {
		dir := filepath.Join(t.TempDir(), fmt.Sprintf("broad-%d-seed-%d", o.Functions, o.Seed))
		if _, err := estate.Write(dir, o); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	ctx := context.Background()
	for _, dir := range dirs {
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

// closingEdge finds the first of a function's edges that fires the start,
// and in that edge's node the first invoke of it the node does not leave
// out; it is unsure where a search would take the node from an earlier
// variant's leftovers, or could pick among several invokes of the start.
func TestClosingEdge(t *testing.T) {
	acc := func(id string) *flow.Flow { return &flow.Flow{ID: id} }
	inv := func(id string) *flow.Flow { return &flow.Flow{ID: id} }
	toOther, toSelfA, toSelfB := inv("other"), inv("self-a"), inv("self-b")
	base := &srcNode{invokes: []invEdge{{inv: toOther, to: 1, key: "q1"}, {inv: toSelfA, to: 0, key: "qa"}, {inv: toSelfB, to: 0, key: "qb"}}, base: 1}
	variant := &srcNode{invokes: base.invokes, except: map[string]bool{"qa": true}, base: 1}
	other := &srcNode{invokes: []invEdge{{inv: toOther, to: 1, key: "q1"}}, base: 0}
	variantNoSelf := &srcNode{invokes: base.invokes, except: map[string]bool{"qa": true, "qb": true}, base: 1}
	single := &srcNode{invokes: []invEdge{{inv: toSelfA, to: 0, key: "qa"}, {inv: toOther, to: 1, key: "q1"}}, base: 4}
	g := &chainGraph{fns: []string{"f", "g"}, srcs: []*srcNode{other, base, variant, variantNoSelf, single}}
	for _, tc := range []struct {
		name        string
		x           int
		out         []accEdge
		found, sure bool
		want        *flow.Flow // the invoke of the closing hop; nil for a direct one
		acc         string
	}{
		{"first level, variant leaving qa out", 0, []accEdge{{acc: acc("a0"), src: 0}, {acc: acc("a1"), src: 2}}, true, true, toSelfB, "a1"},
		{"first level, the base's first invoke of f", 0, []accEdge{{acc: acc("a0"), src: 0}, {acc: acc("a1"), src: 1}}, true, true, toSelfA, "a1"},
		{"no edge fires f", 0, []accEdge{{acc: acc("a0"), src: 0}}, false, true, nil, ""},
		{"a variant after another of its base", 0, []accEdge{{acc: acc("a0"), src: 3}, {acc: acc("a1"), src: 2}}, false, false, nil, ""},
		{"a direct invoke first", 0, []accEdge{{acc: acc("direct"), src: -1, fn: 0}, {acc: acc("a1"), src: 1}}, true, true, nil, "direct"},
		{"second level, one invoke of f", 1, []accEdge{{acc: acc("a0"), src: 0}, {acc: acc("s"), src: 4}}, true, true, toSelfA, "s"},
		{"second level, the base invokes f twice", 1, []accEdge{{acc: acc("a1"), src: 1}}, false, false, nil, ""},
	} {
		g.out = [][]accEdge{nil, nil}
		g.out[tc.x] = tc.out
		h, found, sure := g.closingEdge(tc.x, 0)
		if found != tc.found || sure != tc.sure {
			t.Errorf("%s: found %v sure %v, want %v %v", tc.name, found, sure, tc.found, tc.sure)
			continue
		}
		if !found {
			continue
		}
		if h.from != tc.x || h.acc.ID != tc.acc || h.inv != tc.want || (tc.want == nil) != (h.src == -1) {
			t.Errorf("%s: got %+v", tc.name, h)
		}
		if tc.want == nil && h.action != "lambda:InvokeFunction" {
			t.Errorf("%s: a direct hop's action is %q", tc.name, h.action)
		}
	}
}
