package eval

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/funcs"
)

// forBudgetCases are nests of for expressions and template for directives,
// with whether they build more than MaxValueElements elements.
var forBudgetCases = []struct {
	expr string
	over bool
}{
	// The outer elements count too, as in the value budget.
	{`[for a in range(999) : [for b in range(1000) : b]]`, false},
	{`[for a in range(1000) : [for b in range(1000) : b]]`, true},
	{`[for a in range(1024) : [for b in range(1024) : [for c in range(64) : c]]]`, true},
	// Inner collections that depend on the outer iterator (range builds
	// at most 1,024 numbers).
	{`[for a in range(1024) : [for b in range(a) : b]]`, false},
	{`[for a in range(1024) : [for b in range(a) : [for c in range(a) : c]]]`, true},
	{`[for a in range(1000) : [for x in local.big[a % 2] : x]]`, true},
	{`{for k, v in local.big : k => [for x in v : [for y in slice(v, 0, k + 1000) : x]]}`, true},
	{`"%{for a in range(1024)}%{for b in range(a)}%{for c in range(8)}x%{endfor}%{endfor}%{endfor}"`, true},
	{`"%{for a in range(10)}%{for b in range(a)}x%{endfor}%{endfor}"`, false},
	// A for in the collection of another.
	{`[for a in [for b in range(1024) : range(b)] : [for c in a : [for d in a : d]]]`, true},
	// An iterator that cannot be known counts as one element.
	{`[for a in var.unknown : [for b in range(a) : b]]`, false},
}

func forBudgetContext(rowLength int) *hcl.EvalContext {
	vals := make([]cty.Value, rowLength)
	for i := range vals {
		vals[i] = cty.NumberIntVal(int64(i))
	}
	row := cty.ListVal(vals)
	return &hcl.EvalContext{
		Functions: funcs.TableWith(".", funcs.Files{}),
		Variables: map[string]cty.Value{
			"local": cty.ObjectVal(map[string]cty.Value{"big": cty.TupleVal([]cty.Value{row, row})}),
			"var":   cty.ObjectVal(map[string]cty.Value{"unknown": cty.UnknownVal(cty.List(cty.Number))}),
		},
	}
}

func TestForBudgetCountsInnerCollectionsPerOuterElement(t *testing.T) {
	ctx := forBudgetContext(2000)
	for _, c := range forBudgetCases {
		x, diags := hclsyntax.ParseExpression([]byte(c.expr), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", c.expr, diags)
		}
		why := forBudget(x, ctx)
		if (why != "") != c.over {
			t.Errorf("%s: over budget %q, want over %v", c.expr, why, c.over)
		}
		if c.over && !strings.Contains(why, "nested for expressions") {
			t.Errorf("%s: %q", c.expr, why)
		}
	}
}

// FuzzForBudget estimates arbitrary expressions: it must not panic, and
// must finish (the estimate itself is bounded by the element budget).
func FuzzForBudget(f *testing.F) {
	// The shapes of the cases at a small scale: a near-budget estimate
	// takes a second, which would leave a short fuzzing run no time.
	small := strings.NewReplacer("1024", "12", "1000", "10", "999", "9", "2000", "20", "range(64)", "range(4)")
	for _, c := range forBudgetCases {
		f.Add(small.Replace(c.expr))
	}
	ctx := forBudgetContext(20)
	f.Fuzz(func(t *testing.T, src string) {
		x, diags := hclsyntax.ParseExpression([]byte(src), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			return
		}
		_ = forBudget(x, ctx)
	})
}
