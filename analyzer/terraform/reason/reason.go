// Package reason attaches to unknown cty values why they are unknown and
// where the unknown came from, as a cty mark that travels with the value
// through expressions and function calls.
//
// Pipeline place: shared by the Terraform evaluator (which creates reasoned
// unknowns), the function table and the resource decoders (which turn the
// reasons of an unresolved field into inventory Unknown entries).
package reason

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Mark is the cty mark on a value that is unknown for a stated reason.
// It is comparable, as cty marks must be.
type Mark struct {
	Text string
	File string
	Line int
}

// Unknown returns an unknown value of type ty marked with why it is unknown
// and the source range that made it so.
func Unknown(ty cty.Type, text string, rng hcl.Range) cty.Value {
	return cty.UnknownVal(ty).Mark(Mark{Text: text, File: rng.Filename, Line: rng.Start.Line})
}

// Of returns the reasons carried anywhere inside v, sorted and without
// duplicates, and v with every mark removed.
func Of(v cty.Value) (cty.Value, []Mark) {
	unmarked, marks := v.UnmarkDeep()
	var out []Mark
	for m := range marks {
		if r, ok := m.(Mark); ok {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Text < b.Text
	})
	return unmarked, out
}
