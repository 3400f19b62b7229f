package cloudformation

import (
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"go.yaml.in/yaml/v3"
)

// extent is where the item at node n is written, as far as the YAML (or
// JSON) parser tells: from n's line and column to the end of the last
// scalar of its definition — a resource's whole mapping when n is its
// logical id, else n's own subtree. The parser gives no end positions; the end column is known
// only when the last scalar is written on one line, plain or quoted.
func (t *template) extent(n *yaml.Node) hcl.Range {
	if n == nil {
		return t.rng(n)
	}
	start := hcl.Pos{Line: n.Line, Column: n.Column}
	end := start
	def := t.definitions[n]
	if def == nil {
		def = n
	}
	last := lastScalar(def, 0)
	if last != nil && (last.Line > end.Line || last.Line == end.Line && last.Column >= end.Column) {
		end = hcl.Pos{Line: last.Line, Column: scalarEnd(last)}
	}
	if end.Line == start.Line && end.Column < start.Column {
		end.Column = 0
	}
	return hcl.Range{Filename: t.path, Start: start, End: end}
}

// span is extent as a span; a nil node is the template file alone.
func (t *template) span(n *yaml.Node) loc.Span {
	r := t.extent(n)
	s := loc.Span{File: r.Filename, Line: r.Start.Line, Column: r.Start.Column}
	if r.End.Line > r.Start.Line {
		s.EndLine, s.EndColumn = r.End.Line, r.End.Column
	}
	return s
}

// lastScalar is the node written last in n's subtree.
func lastScalar(n *yaml.Node, depth int) *yaml.Node {
	last := n
	if depth > maxDepth {
		return last
	}
	for _, c := range n.Content {
		if c == nil {
			continue
		}
		if l := lastScalar(c, depth+1); l.Line > last.Line || l.Line == last.Line && l.Column > last.Column {
			last = l
		}
	}
	return last
}

// scalarEnd is the column just after a scalar written on one line, or 0
// when that is not known (block scalars, folded text, collections, aliases).
func scalarEnd(n *yaml.Node) int {
	if n.Kind != yaml.ScalarNode || strings.ContainsAny(n.Value, "\n\r") {
		return 0
	}
	width := utf8.RuneCountInString(n.Value)
	switch n.Style {
	case 0, yaml.TaggedStyle:
		if n.Tag != "" && n.Style == yaml.TaggedStyle {
			return 0 // "!Ref x": the tag's text comes first, its width is not kept
		}
	case yaml.SingleQuotedStyle:
		width += 2 + strings.Count(n.Value, "'")
	case yaml.DoubleQuotedStyle:
		if strings.ContainsAny(n.Value, "\"\\") || !isPrintable(n.Value) {
			return 0 // escapes make the written text longer than the value
		}
		width += 2
	default:
		return 0
	}
	return n.Column + width
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
