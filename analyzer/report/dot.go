package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/simulator/graph"
)

// DOT writes g as a Graphviz digraph, left to right: entries, functions,
// resources, with one cluster per service group, node shapes and fills per
// kind of node, edges styled by decision, chains and loops highlighted.
func DOT(w io.Writer, g *graph.Graph) error {
	var b strings.Builder
	b.WriteString("// lambdacheck flow graph; " + graphLegend + "\n")
	b.WriteString("digraph lambdacheck {\n")
	b.WriteString("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, nodesep=0.25, ranksep=1.1];\n")
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=10, style=\"filled\", color=\"#555555\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#333333\"];\n")
	// Only the service groups are clusters: a cluster around a whole column
	// keeps Graphviz from ordering edge labels next to their edges, which
	// turns a few dozen functions into a tangle. Ranks keep the columns.
	for _, s := range sections(g) {
		fmt.Fprintf(&b, "  // %s\n", s.Label)
		for _, c := range s.Clusters {
			indent := "  "
			if c.Label != "" {
				fmt.Fprintf(&b, "  subgraph %s {\n", dotID("cluster_"+c.ID))
				fmt.Fprintf(&b, "    label=%s; style=\"rounded,dashed\"; color=\"#bbbbbb\";\n", dotString(c.Label))
				indent = "    "
			}
			for _, n := range c.Nodes {
				fmt.Fprintf(&b, "%s%s [%s];\n", indent, dotID(n.ID), dotNodeAttrs(n))
			}
			if c.Label != "" {
				b.WriteString("  }\n")
			}
		}
	}
	column := make(map[string]int, len(g.Nodes))
	for i := range g.Nodes {
		column[g.Nodes[i].ID] = columnOf(g.Nodes[i].Kind)
	}
	for i := range g.Edges {
		e := &g.Edges[i]
		if column[e.From] > column[e.To] {
			// A resource triggering a function points right to left; drawn
			// as a reversed edge it keeps the columns in place instead of
			// looping around them.
			fmt.Fprintf(&b, "  %s -> %s [%s, dir=back];\n", dotID(e.To), dotID(e.From), dotEdgeAttrs(e, "arrowtail"))
			continue
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", dotID(e.From), dotID(e.To), dotEdgeAttrs(e, "arrowhead"))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func columnOf(k graph.NodeKind) int {
	switch k {
	case graph.Entry:
		return 0
	case graph.Function:
		return 1
	}
	return 2
}

func dotNodeAttrs(n *graph.Node) string {
	shape, fill, style := "box", "#e9f5e9", "filled"
	switch {
	case n.Principal:
		shape, fill = "hexagon", "#fde8e8"
	case n.Kind == graph.Entry:
		shape, fill = "cds", "#e8f0fe"
	case n.Kind == graph.Function:
		fill, style = "#fff3d6", "rounded,filled"
	}
	if n.Unresolved {
		fill, style = "#eeeeee", "rounded,filled,dashed"
	} else if n.Outside && !n.Principal {
		style += ",dashed"
	}
	attrs := []string{
		"label=" + dotString(n.Label),
		"shape=" + shape,
		"style=" + dotString(style),
		"fillcolor=" + dotString(fill),
	}
	if tip := firstNonEmpty(n.Address, n.ARN); tip != "" {
		attrs = append(attrs, "tooltip="+dotString(tip))
	}
	return strings.Join(attrs, ", ")
}

// dotEdgeAttrs styles an edge; arrow names the end that points at the
// edge's target (arrowtail on a reversed edge).
func dotEdgeAttrs(e *graph.Edge, arrow string) string {
	attrs := []string{"label=" + dotString(e.Label)}
	color := ""
	switch lookOf(e) {
	case lookMaybe:
		attrs = append(attrs, "style=dashed")
	case lookDisabled:
		attrs = append(attrs, "style=dotted")
		color = colorDisabled
	case lookDenied:
		attrs = append(attrs, arrow+"=tee", "penwidth=2")
		color = colorDenied
	}
	if color == "" {
		switch {
		case e.Loop:
			color = colorLoop
		case e.Chain:
			color = colorChain
		}
		if color != "" {
			attrs = append(attrs, "penwidth=2.5")
		}
	}
	if color != "" {
		attrs = append(attrs, "color="+dotString(color), "fontcolor="+dotString(color))
	}
	if len(e.Actions) > 0 {
		attrs = append(attrs, "tooltip="+dotString(actionsTip(e.Actions)))
	}
	return strings.Join(attrs, ", ")
}

// dotID quotes an id; graph ids are already [A-Za-z0-9_]+, quoting keeps
// Graphviz keywords (node, edge, graph …) from being read as such.
func dotID(id string) string { return dotString(id) }

// dotString is s as a DOT double-quoted string: backslashes and quotes
// escaped (so Graphviz's \n, \l … escapes cannot be injected), line breaks
// as \n, tabs as spaces, other control characters and terminal escape
// sequences removed (clean.Text).
func dotString(s string) string {
	s = clean.Text(s)
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// actionsTip lists the first actions of an edge for its tooltip.
func actionsTip(actions []string) string {
	const max = 8
	if len(actions) <= max {
		return strings.Join(actions, ", ")
	}
	return fmt.Sprintf("%s … (+%d)", strings.Join(actions[:max], ", "), len(actions)-max)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
