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

// forEstimate counts, before evaluation, the elements that nested for
// expressions (and template for directives) would build. HCL builds them
// natively, so a nest of range(1024) × range(1024) × range(64) would
// exhaust memory before the value could be checked. Where an inner
// collection depends on an outer iterator (range(a*1000), local.big[a]),
// it is evaluated once per outer element; the count stops as soon as it
// passes the budget, so the estimate costs at most the budget in work.
// A collection that cannot be evaluated on its own counts as one element.
type forEstimate struct {
	total int
	over  bool
}

func (est *forEstimate) add(n int) {
	est.total += n
	if est.total > MaxValueElements {
		est.over = true
	}
}

// node counts the for expressions in n.
func (est *forEstimate) node(n hclsyntax.Node, ctx *hcl.EvalContext) {
	for _, f := range outermostFors(n) {
		if est.over {
			return
		}
		est.forExpr(f, ctx)
	}
}

func (est *forEstimate) forExpr(f *hclsyntax.ForExpr, ctx *hcl.EvalContext) {
	est.node(f.CollExpr, ctx)
	var body []hclsyntax.Node
	for _, x := range []hclsyntax.Expression{f.KeyExpr, f.ValExpr, f.CondExpr} {
		if x != nil && len(outermostFors(x)) > 0 {
			body = append(body, x)
		}
	}
	coll := cty.NilVal
	if v, d := f.CollExpr.Value(ctx); !d.HasErrors() {
		if u, _ := v.UnmarkDeep(); u.IsKnown() && !u.IsNull() && u.CanIterateElements() {
			coll = u
		}
	}
	switch {
	case coll == cty.NilVal:
		est.add(1)
		est.body(body, f, ctx, cty.DynamicVal, cty.DynamicVal)
	case len(body) == 0:
		est.add(coll.LengthInt())
	case !usesIterator(body, f):
		// The inner collections are the same for every element: count
		// them once.
		inner := &forEstimate{}
		inner.body(body, f, ctx, cty.DynamicVal, cty.DynamicVal)
		est.add(min(coll.LengthInt(), MaxValueElements+1) * min(1+inner.total, MaxValueElements+1))
	default:
		for it := coll.ElementIterator(); it.Next() && !est.over; {
			k, v := it.Element()
			est.add(1)
			est.body(body, f, ctx, k, v)
		}
	}
}

// body counts the inner for expressions of f for one element k, v.
func (est *forEstimate) body(body []hclsyntax.Node, f *hclsyntax.ForExpr, ctx *hcl.EvalContext, k, v cty.Value) {
	if len(body) == 0 {
		return
	}
	child := ctx.NewChild()
	child.Variables = map[string]cty.Value{f.ValVar: v}
	if f.KeyVar != "" {
		child.Variables[f.KeyVar] = k
	}
	for _, n := range body {
		if est.over {
			return
		}
		est.node(n, child)
	}
}

// usesIterator reports whether any of body refers to f's iterator variables.
func usesIterator(body []hclsyntax.Node, f *hclsyntax.ForExpr) bool {
	for _, n := range body {
		x, ok := n.(hclsyntax.Expression)
		if !ok {
			return true
		}
		for _, tr := range hclsyntax.Variables(x) {
			if name := tr.RootName(); name == f.ValVar || f.KeyVar != "" && name == f.KeyVar {
				return true
			}
		}
	}
	return false
}

// outermostFors returns the for expressions in n that no other for
// expression in n encloses.
func outermostFors(n hclsyntax.Node) []*hclsyntax.ForExpr {
	w := &outermostWalker{}
	hclsyntax.Walk(n, w)
	return w.found
}

type outermostWalker struct {
	depth int
	found []*hclsyntax.ForExpr
}

func (w *outermostWalker) Enter(n hclsyntax.Node) hcl.Diagnostics {
	if f, ok := n.(*hclsyntax.ForExpr); ok {
		if w.depth == 0 {
			w.found = append(w.found, f)
		}
		w.depth++
	}
	return nil
}

func (w *outermostWalker) Exit(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(*hclsyntax.ForExpr); ok {
		w.depth--
	}
	return nil
}

// forBudget returns what x's for expressions would exceed, or "".
func forBudget(x hcl.Expression, ctx *hcl.EvalContext) string {
	n, ok := x.(hclsyntax.Node)
	if !ok {
		return ""
	}
	if ctx == nil {
		ctx = &hcl.EvalContext{}
	}
	est := &forEstimate{}
	est.node(n, ctx)
	if est.over {
		return fmt.Sprintf("nested for expressions that build more than lambdacheck's limit of %d elements", MaxValueElements)
	}
	return ""
}
