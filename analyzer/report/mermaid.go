package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
	"github.com/lambdacheck/lambdacheck/simulator/graph"
)

// edgeLook is how an edge is drawn, shared by the Mermaid and DOT
// renderers so both read the same.
type edgeLook int

const (
	lookAllowed  edgeLook = iota // solid
	lookMaybe                    // dashed: conditional or unknown
	lookDenied                   // red, crossed
	lookDisabled                 // dotted grey: a trigger switched off
)

func lookOf(e *graph.Edge) edgeLook {
	switch {
	case e.Disabled:
		return lookDisabled
	case e.Decision == flow.Denied:
		return lookDenied
	case e.Decision == flow.Allowed:
		return lookAllowed
	}
	return lookMaybe
}

// Colours of the highlights, shared by both renderers.
const (
	colorDenied   = "#d62728"
	colorDisabled = "#999999"
	colorChain    = "#ff7f0e"
	colorLoop     = "#9467bd"
)

const graphLegend = "edges: solid allowed, dashed conditional or unknown, red crossed denied, grey dotted disabled trigger; thick orange a chain, thick purple a loop"

// Mermaid writes g as a Mermaid flowchart, left to right: entries,
// functions, resources, with a subgraph per service group, classDef styles
// per kind of node, edges styled by decision, chains and loops highlighted
// with linkStyle.
func Mermaid(w io.Writer, g *graph.Graph) error {
	var b strings.Builder
	b.WriteString("%% lambdacheck flow graph; " + graphLegend + "\n")
	b.WriteString("flowchart LR\n")
	classes := map[string][]string{}
	// Only the service groups are subgraphs: a subgraph around a whole
	// column is laid out as one block, which breaks the left-to-right
	// reading once a few dozen edges cross it. Ranks keep the columns.
	for _, s := range sections(g) {
		fmt.Fprintf(&b, "  %%%% %s\n", s.Label)
		for _, c := range s.Clusters {
			indent := "  "
			if c.Label != "" {
				fmt.Fprintf(&b, "  subgraph %s[\"%s\"]\n", c.ID, mermaidText(c.Label))
				indent = "    "
			}
			for _, n := range c.Nodes {
				open, close := mermaidShape(n)
				fmt.Fprintf(&b, "%s%s%s\"%s\"%s\n", indent, n.ID, open, mermaidText(n.Label), close)
				for _, cl := range nodeClasses(n) {
					classes[cl] = append(classes[cl], n.ID)
				}
			}
			if c.Label != "" {
				b.WriteString("  end\n")
			}
		}
	}
	styles := map[string][]string{}
	for i := range g.Edges {
		e := &g.Edges[i]
		arrow := "-->"
		switch lookOf(e) {
		case lookMaybe, lookDisabled:
			arrow = "-.->"
		case lookDenied:
			arrow = "--x"
		default:
			if e.Chain {
				arrow = "==>"
			}
		}
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", e.From, arrow, mermaidText(e.Label), e.To)
		if st := mermaidLinkStyle(e); st != "" {
			styles[st] = append(styles[st], fmt.Sprint(i))
		}
	}
	for _, cl := range nodeClassOrder {
		if len(classes[cl.name]) > 0 {
			fmt.Fprintf(&b, "  classDef %s %s\n", cl.name, cl.style)
		}
	}
	for _, cl := range nodeClassOrder {
		if ids := classes[cl.name]; len(ids) > 0 {
			fmt.Fprintf(&b, "  class %s %s\n", strings.Join(ids, ","), cl.name)
		}
	}
	for _, st := range linkStyleOrder {
		if idx := styles[st]; len(idx) > 0 {
			fmt.Fprintf(&b, "  linkStyle %s %s\n", strings.Join(idx, ","), st)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// nodeClassOrder fixes the order of classDef lines; later classes
// (outside, unresolved) refine the fill of earlier ones.
var nodeClassOrder = []struct{ name, style string }{
	{"entry", "fill:#e8f0fe,stroke:#3b6db3,color:#111111"},
	{"principal", "fill:#fde8e8,stroke:#b33b3b,color:#111111"},
	{"function", "fill:#fff3d6,stroke:#c48a00,color:#111111"},
	{"resource", "fill:#e9f5e9,stroke:#3f8f3f,color:#111111"},
	{"outside", "stroke-dasharray:5 3"},
	{"unresolved", "fill:#eeeeee,stroke:#888888,stroke-dasharray:2 2,color:#555555"},
}

var (
	styleDisabled = "stroke:" + colorDisabled + ",color:" + colorDisabled
	styleDenied   = "stroke:" + colorDenied + ",stroke-width:2px,color:" + colorDenied
	styleLoop     = "stroke:" + colorLoop + ",stroke-width:3px"
	styleChain    = "stroke:" + colorChain + ",stroke-width:3px"
)

var linkStyleOrder = []string{styleDisabled, styleDenied, styleLoop, styleChain}

// mermaidLinkStyle is an edge's highlight: a broken or disabled edge shows
// that first, then loops, then chains.
func mermaidLinkStyle(e *graph.Edge) string {
	switch lookOf(e) {
	case lookDisabled:
		return styleDisabled
	case lookDenied:
		return styleDenied
	}
	switch {
	case e.Loop:
		return styleLoop
	case e.Chain:
		return styleChain
	}
	return ""
}

func nodeClasses(n *graph.Node) []string {
	var out []string
	switch {
	case n.Principal:
		out = append(out, "principal")
	case n.Kind == graph.Entry:
		out = append(out, "entry")
	case n.Kind == graph.Function:
		out = append(out, "function")
	default:
		out = append(out, "resource")
	}
	if n.Outside && !n.Principal {
		out = append(out, "outside")
	}
	if n.Unresolved {
		out = append(out, "unresolved")
	}
	return out
}

// mermaidShape: hexagons for outside principals, flags for entries,
// stadiums for functions, boxes for resources.
func mermaidShape(n *graph.Node) (string, string) {
	switch {
	case n.Principal:
		return "{{", "}}"
	case n.Kind == graph.Entry:
		return ">", "]"
	case n.Kind == graph.Function:
		return "([", "])"
	}
	return "[", "]"
}

// mermaidText makes s safe inside a quoted Mermaid label: quotes, markup
// and the characters the flowchart lexer reads (#, %, |, `) become entity
// codes, line breaks become spaces.
func mermaidText(s string) string {
	s = clean.Text(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#':
			b.WriteString("#35;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '|':
			b.WriteString("#124;")
		case '`':
			b.WriteString("#96;")
		case '%':
			b.WriteString("#37;")
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteByte(' ')
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
