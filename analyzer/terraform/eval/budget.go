package eval

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// Budgets for one evaluated value: doubling a string in forty locals, or
// nesting for expressions, must stop with a diagnostic, not exhaust memory.
const (
	MaxStringBytes   = 4 << 20 // one string
	MaxValueElements = 1000000 // elements and attributes in one value
)

// overBudget returns what the value exceeds, or "".
func overBudget(v cty.Value) string {
	n := 0
	var walk func(v cty.Value) string
	walk = func(v cty.Value) string {
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return ""
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			if len(v.AsString()) > MaxStringBytes {
				return fmt.Sprintf("a string of %d bytes, more than lambdacheck's limit of %d", len(v.AsString()), MaxStringBytes)
			}
		case ty.IsCollectionType() || ty.IsObjectType() || ty.IsTupleType():
			n += v.LengthInt()
			if n > MaxValueElements {
				return fmt.Sprintf("more than lambdacheck's limit of %d elements in one value", MaxValueElements)
			}
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				if why := walk(e); why != "" {
					return why
				}
			}
		}
		return ""
	}
	return walk(v)
}

// budgeted replaces a value over budget by an unknown, with an error at x.
func (e *evaluator) budgeted(x hcl.Expression, v cty.Value) cty.Value {
	if _, ref := x.(*hclsyntax.ScopeTraversalExpr); ref {
		// A plain reference copies a value checked where it was built.
		return v
	}
	why := overBudget(v)
	if why == "" {
		return v
	}
	e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Value too large",
		Detail: "This expression builds " + why + "; its value is not evaluated.", Subject: x.Range().Ptr()})
	return reason.Unknown(cty.DynamicPseudoType, "the value is too large: "+why, x.Range())
}

// forWalker estimates, before evaluation, how many elements nested for
// expressions (and template for directives) build: the product of their
// collections' sizes where those can be evaluated on their own. HCL builds
// them natively, so a nest of range(1024) × range(1024) × range(64) would
// exhaust memory before the value could be checked.
type forWalker struct {
	ctx   *hcl.EvalContext
	stack []int
	over  string
}

func (w *forWalker) Enter(n hclsyntax.Node) hcl.Diagnostics {
	f, ok := n.(*hclsyntax.ForExpr)
	if !ok || w.over != "" {
		return nil
	}
	size := 1
	if v, d := f.CollExpr.Value(w.ctx); !d.HasErrors() {
		if u, _ := v.UnmarkDeep(); u.IsKnown() && !u.IsNull() && u.CanIterateElements() {
			size = max(u.LengthInt(), 1)
		}
	}
	w.stack = append(w.stack, size)
	total := 1
	for _, s := range w.stack {
		total *= s
		if total > MaxValueElements {
			w.over = fmt.Sprintf("nested for expressions that build more than lambdacheck's limit of %d elements", MaxValueElements)
			break
		}
	}
	return nil
}

func (w *forWalker) Exit(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(*hclsyntax.ForExpr); ok && len(w.stack) > 0 {
		w.stack = w.stack[:len(w.stack)-1]
	}
	return nil
}

// forBudget returns what x's for expressions would exceed, or "".
func forBudget(x hcl.Expression, ctx *hcl.EvalContext) string {
	n, ok := x.(hclsyntax.Node)
	if !ok {
		return ""
	}
	w := &forWalker{ctx: ctx}
	hclsyntax.Walk(n, w)
	return w.over
}
