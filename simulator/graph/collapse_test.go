package graph

import (
	"strings"
	"testing"
)

func TestApplicationOf(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"module.orders.aws_lambda_function.api", "module.orders"},
		{`module.apps["orders"].module.fn.aws_lambda_function.this[0]`, `module.apps["orders"]`},
		{`module.apps["a.b"].aws_sqs_queue.q`, `module.apps["a.b"]`},
		{`module.apps["a\"]"].aws_sqs_queue.q`, `module.apps["a\"]"]`},
		{"module.x", "module.x"},
		{"aws_lambda_function.api", ""},
		{"arn:aws:lambda:eu-west-1:123456789012:function:f", ""},
		{`module.broken["x.aws_sqs_queue.q`, ""},
		{"module.", ""},
	} {
		if got := ApplicationOf(tc.addr); got != tc.want {
			t.Errorf("ApplicationOf(%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

func FuzzApplicationOf(f *testing.F) {
	for _, s := range []string{"module.a.b", `module.a["k.\"]"].x`, "module.", "aws_x.y", `module.a[`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		app := ApplicationOf(addr)
		if app != "" && (!strings.HasPrefix(addr, app) || !strings.HasPrefix(app, "module.") || len(app) <= len("module.")) {
			t.Fatalf("ApplicationOf(%q) = %q: not a module prefix of the address", addr, app)
		}
	})
}

// The collapsed view of stream-analytics: each module instance is one
// node counting what it holds, edges between applications and the root
// resources stay (merged), and nothing points at a node that is gone.
func TestCollapseByModule(t *testing.T) {
	g := build(t, "stream-analytics", Options{})
	c := Collapse(g)
	ids := map[string]bool{}
	var apps []string
	for _, n := range c.Nodes {
		if ids[n.ID] {
			t.Errorf("duplicate node id %s", n.ID)
		}
		ids[n.ID] = true
		if app := ApplicationOf(n.Address); app != "" && n.Address != app {
			t.Errorf("node %s (%s) inside %s is still drawn", n.ID, n.Address, app)
		}
		if strings.HasPrefix(n.Address, "module.") {
			apps = append(apps, n.Label)
		}
	}
	if len(apps) != 2 || apps[0] != "module.alerts (1 function, 0 resources)" || apps[1] != "module.enrich (1 function, 0 resources)" {
		t.Errorf("application nodes %q", apps)
	}
	seen := map[string]bool{}
	for _, e := range c.Edges {
		if !ids[e.From] || !ids[e.To] || e.From == e.To {
			t.Errorf("edge %s → %s: a missing node or a self edge", e.From, e.To)
		}
		k := e.From + ">" + e.To + ">" + string(e.Kind)
		if seen[k] {
			t.Errorf("edge %s drawn twice", k)
		}
		seen[k] = true
		if len(e.Flows) == 0 {
			t.Errorf("edge %s draws no flow", k)
		}
	}
	if len(c.Edges) == 0 || len(c.Edges) > len(g.Edges) || len(c.Chains) != 0 {
		t.Errorf("%d edges (from %d), %d chains", len(c.Edges), len(g.Edges), len(c.Chains))
	}
}
