package graph

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// ApplicationOf is the application an address belongs to: the top-level
// module instance it is declared in ("module.orders" or
// `module.apps["orders"]`), or "" for the root module and for items known
// only by ARN.
func ApplicationOf(address string) string {
	rest, ok := strings.CutPrefix(address, "module.")
	if !ok {
		return ""
	}
	end := len(rest)
	depth := 0
	inString := false
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '.' && depth == 0:
			end = i
			i = len(rest)
		}
	}
	if end == 0 || depth != 0 || inString {
		return ""
	}
	return "module." + rest[:end]
}

// maxMergedLabels bounds the labels a merged edge lists.
const maxMergedLabels = 3

// Collapse draws each application (see ApplicationOf) as one node: its
// functions and resources become a node named after the module instance,
// counting what it holds; edges between applications (and to entries and
// resources of the root module) merge, with the worst decision, the
// flows and actions of all of them and up to three labels; edges inside
// one application are left out. Chains are not drawn in this view: their
// paths run through the merged nodes. Items of the root module stay as
// they are.
func Collapse(g *Graph) *Graph {
	type group struct {
		node            Node
		functions, rest int
	}
	groups := map[string]*group{}
	memberOf := map[string]string{} // node ID → application
	var kept []Node
	for _, n := range g.Nodes {
		app := ""
		if n.Kind != Entry && !n.Principal {
			app = ApplicationOf(n.Address)
		}
		if app == "" {
			kept = append(kept, n)
			continue
		}
		memberOf[n.ID] = app
		gr := groups[app]
		if gr == nil {
			gr = &group{node: Node{Kind: Resource, Address: app, key: "app:" + app}}
			groups[app] = gr
		}
		if n.Kind == Function {
			gr.functions++
			gr.node.Kind = Function
		} else {
			gr.rest++
		}
	}
	out := &Graph{Nodes: kept, Edges: []Edge{}, Chains: []Chain{}}
	apps := make([]string, 0, len(groups))
	for app := range groups {
		apps = append(apps, app)
	}
	sort.Strings(apps)
	for _, app := range apps {
		gr := groups[app]
		gr.node.Label = fmt.Sprintf("%s (%s, %s)", app, plural(gr.functions, "function"), plural(gr.rest, "resource"))
		out.Nodes = append(out.Nodes, gr.node)
	}
	// IDs are assigned afresh over the whole view, in the usual order;
	// kept nodes remember the ID their edges use.
	for i := range out.Nodes {
		if !strings.HasPrefix(out.Nodes[i].key, "app:") {
			out.Nodes[i].oldID = out.Nodes[i].ID
		}
	}
	sort.SliceStable(out.Nodes, func(i, j int) bool { return nodeLess(&out.Nodes[i], &out.Nodes[j]) })
	assignIDs(out.Nodes)
	idOf := map[string]string{} // old node ID, or "app:NAME", → new ID
	for i := range out.Nodes {
		n := &out.Nodes[i]
		if n.oldID != "" {
			idOf[n.oldID] = n.ID
			n.oldID = ""
		} else {
			idOf[n.key] = n.ID
		}
	}
	mapID := func(id string) string {
		if app, ok := memberOf[id]; ok {
			return idOf["app:"+app]
		}
		return idOf[id]
	}
	type edgeKey struct {
		from, to string
		kind     EdgeKind
	}
	merged := map[edgeKey]*Edge{}
	labels := map[edgeKey][]string{}
	var order []edgeKey
	for _, e := range g.Edges {
		from, to := mapID(e.From), mapID(e.To)
		if from == "" || to == "" || from == to {
			continue // inside one application
		}
		k := edgeKey{from, to, e.Kind}
		m := merged[k]
		if m == nil {
			m = &Edge{From: from, To: to, Kind: e.Kind, Decision: e.Decision, Disabled: e.Disabled}
			merged[k] = m
			order = append(order, k)
		} else {
			m.Decision = flow.Combine(m.Decision, e.Decision)
			m.Disabled = m.Disabled && e.Disabled
		}
		if !slices.Contains(labels[k], e.Label) {
			labels[k] = append(labels[k], e.Label)
		}
		m.Actions = append(m.Actions, e.Actions...)
		m.Flows = append(m.Flows, e.Flows...)
	}
	for _, k := range order {
		m := merged[k]
		ls := labels[k]
		sort.Strings(ls)
		if len(ls) > maxMergedLabels {
			ls = append(ls[:maxMergedLabels], fmt.Sprintf("%d more", len(labels[k])-maxMergedLabels))
		}
		m.Label = strings.Join(ls, "; ")
		slices.Sort(m.Actions)
		m.Actions = slices.Compact(m.Actions)
		slices.Sort(m.Flows)
		m.Flows = slices.Compact(m.Flows)
		if m.Flows == nil {
			m.Flows = []string{}
		}
		out.Edges = append(out.Edges, *m)
	}
	sort.SliceStable(out.Edges, func(i, j int) bool {
		a, b := out.Edges[i], out.Edges[j]
		return a.From+"\x00"+a.To+"\x00"+string(a.Kind) < b.From+"\x00"+b.To+"\x00"+string(b.Kind)
	})
	return out
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
