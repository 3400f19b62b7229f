package eval

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// maxSymbolDepth bounds the expression nesting symbolize follows; deeper
// expressions stay plain unknowns.
const maxSymbolDepth = 64

// symbolArgs says, per function that only places its arguments into its
// result without looking at their text, which arguments may be symbolic
// (true) and which must be concrete (false, e.g. a lookup key: a symbol
// can not tell which entry it would select). The last entry repeats for
// variadic arguments. Every other function gives an unknown, since its
// result depends on the text a symbol hides.
var symbolArgs = map[string][]bool{
	"jsonencode": {true},
	"yamlencode": {true},
	"format":     {false, true},
	"join":       {false, true},
	"concat":     {true},
	"merge":      {true},
	"flatten":    {true},
	"tostring":   {true},
	"tolist":     {true},
	"tomap":      {true},
	"element":    {true, false},
	"lookup":     {true, false, true},
	"one":        {true},
	"values":     {true},
}

// symbolize derives the symbolic form of an expression whose value is
// unknown: the value with each unknown replaced by the text that stands
// for it, built only through operations that copy text (templates,
// references, collections, the functions of symbolArgs, a conditional
// whose condition is known). symbolic reports whether any symbol went in;
// ok is false when some unknown can not be written as text.
func (e *evaluator) symbolize(x hcl.Expression, ctx *hcl.EvalContext, depth int) (val cty.Value, symbolic, ok bool) {
	if depth > maxSymbolDepth {
		return cty.NilVal, false, false
	}
	v, diags := x.Value(ctx)
	if diags.HasErrors() {
		return cty.NilVal, false, false
	}
	if plain, _ := v.UnmarkDeep(); plain.IsWhollyKnown() {
		return plain, false, true
	}
	sub := func(x hcl.Expression) (cty.Value, bool, bool) { return e.symbolize(x, ctx, depth+1) }
	switch x := x.(type) {
	case *hclsyntax.TemplateWrapExpr:
		return sub(x.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return sub(x.Expression)
	case *hclsyntax.TemplateExpr:
		var b strings.Builder
		for _, p := range x.Parts {
			pv, sym, ok := sub(p)
			if !ok {
				return cty.NilVal, false, false
			}
			s, ok := templateText(pv)
			if !ok {
				return cty.NilVal, false, false
			}
			symbolic = symbolic || sym
			b.WriteString(s)
			if b.Len() > reason.MaxSymbolLen {
				return cty.NilVal, false, false
			}
		}
		return cty.StringVal(b.String()), symbolic, true
	case *hclsyntax.ScopeTraversalExpr:
		return symbolTraverse(x.Traversal, ctx)
	case *hclsyntax.RelativeTraversalExpr:
		src, sym, ok := sub(x.Source)
		if !ok {
			return cty.NilVal, false, false
		}
		out, d := x.Traversal.TraverseRel(src)
		if d.HasErrors() {
			return cty.NilVal, false, false
		}
		return out, sym, true
	case *hclsyntax.IndexExpr:
		coll, sym, ok := sub(x.Collection)
		if !ok {
			return cty.NilVal, false, false
		}
		key, keySym, ok := sub(x.Key)
		if !ok || keySym {
			return cty.NilVal, false, false
		}
		out, d := hcl.Index(coll, key, nil)
		if d.HasErrors() {
			return cty.NilVal, false, false
		}
		return out, sym, true
	case *hclsyntax.TupleConsExpr:
		elems := make([]cty.Value, 0, len(x.Exprs))
		for _, ex := range x.Exprs {
			ev, sym, ok := sub(ex)
			if !ok {
				return cty.NilVal, false, false
			}
			symbolic = symbolic || sym
			elems = append(elems, ev)
		}
		return cty.TupleVal(elems), symbolic, true
	case *hclsyntax.ObjectConsExpr:
		attrs := map[string]cty.Value{}
		for _, it := range x.Items {
			k, keySym, ok := sub(it.KeyExpr)
			if !ok || keySym {
				return cty.NilVal, false, false
			}
			ks, err := convert.Convert(k, cty.String)
			if err != nil || ks.IsNull() {
				return cty.NilVal, false, false
			}
			ev, sym, ok := sub(it.ValueExpr)
			if !ok {
				return cty.NilVal, false, false
			}
			symbolic = symbolic || sym
			attrs[ks.AsString()] = ev
		}
		return cty.ObjectVal(attrs), symbolic, true
	case *hclsyntax.ObjectConsKeyExpr:
		if t, d := hcl.AbsTraversalForExpr(x.Wrapped); !x.ForceNonLiteral && !d.HasErrors() && len(t) == 1 {
			return cty.StringVal(t.RootName()), false, true
		}
		return sub(x.Wrapped)
	case *hclsyntax.ConditionalExpr:
		c, d := x.Condition.Value(ctx)
		if d.HasErrors() {
			return cty.NilVal, false, false
		}
		c, _ = c.UnmarkDeep()
		if !c.IsKnown() || c.IsNull() {
			return cty.NilVal, false, false
		}
		c, err := convert.Convert(c, cty.Bool)
		if err != nil {
			return cty.NilVal, false, false
		}
		if c.True() {
			return sub(x.TrueResult)
		}
		return sub(x.FalseResult)
	case *hclsyntax.FunctionCallExpr:
		return e.symbolCall(x, ctx, depth)
	case *hclsyntax.ForExpr:
		return e.symbolFor(x, ctx, depth)
	}
	if t, d := hcl.AbsTraversalForExpr(x); !d.HasErrors() {
		// JSON syntax: a string that is a single reference.
		return symbolTraverse(t, ctx)
	}
	return cty.NilVal, false, false
}

func (e *evaluator) symbolCall(x *hclsyntax.FunctionCallExpr, ctx *hcl.EvalContext, depth int) (cty.Value, bool, bool) {
	if x.Name == "try" && !x.ExpandFinal {
		// try() is its first argument that evaluates without an error (an
		// unknown is no error): that argument's symbol is its symbol.
		for _, a := range x.Args {
			if _, d := a.Value(ctx); !d.HasErrors() {
				return e.symbolize(a, ctx, depth+1)
			}
		}
		return cty.NilVal, false, false
	}
	allowed, ok := symbolArgs[x.Name]
	if !ok || x.ExpandFinal || ctx.Functions == nil {
		return cty.NilVal, false, false
	}
	fn, ok := ctx.Functions[x.Name]
	if !ok {
		return cty.NilVal, false, false
	}
	args := make([]cty.Value, 0, len(x.Args))
	symbolic := false
	for i, a := range x.Args {
		av, sym, ok := e.symbolize(a, ctx, depth+1)
		if !ok {
			return cty.NilVal, false, false
		}
		may := allowed[len(allowed)-1]
		if i < len(allowed) {
			may = allowed[i]
		}
		if sym && !may {
			return cty.NilVal, false, false
		}
		symbolic = symbolic || sym
		args = append(args, av)
	}
	if x.Name == "format" && (len(args) == 0 || !plainVerbs(args[0])) {
		return cty.NilVal, false, false
	}
	// As HCL does, convert each argument to its parameter's type first.
	params, varParam := fn.Params(), fn.VarParam()
	for i, a := range args {
		var ty cty.Type
		switch {
		case i < len(params):
			ty = params[i].Type
		case varParam != nil:
			ty = varParam.Type
		default:
			return cty.NilVal, false, false
		}
		c, err := convert.Convert(a, ty)
		if err != nil {
			return cty.NilVal, false, false
		}
		args[i] = c
	}
	out, err := fn.Call(args)
	if err != nil {
		return cty.NilVal, false, false
	}
	return out, symbolic, true
}

// symbolFor follows a for expression element by element. The iteration
// variables hold the collection's real elements (unknowns with their
// symbols), so a condition or key that needs hidden text is unknown and
// makes the whole expression so.
func (e *evaluator) symbolFor(x *hclsyntax.ForExpr, ctx *hcl.EvalContext, depth int) (cty.Value, bool, bool) {
	raw, d := x.CollExpr.Value(ctx)
	if d.HasErrors() {
		return cty.NilVal, false, false
	}
	coll := e.withSymbols(x.CollExpr, ctx, raw)
	u, _ := coll.Unmark()
	if !u.IsKnown() || u.IsNull() || !u.CanIterateElements() || u.LengthInt() > 10000 {
		return cty.NilVal, false, false
	}
	child := ctx.NewChild()
	var elems []cty.Value
	attrs := map[string]cty.Value{}
	groups := map[string][]cty.Value{}
	var order []string
	symbolic := false
	for it := u.ElementIterator(); it.Next(); {
		k, v := it.Element()
		child.Variables = map[string]cty.Value{x.ValVar: v}
		if x.KeyVar != "" {
			child.Variables[x.KeyVar] = k
		}
		if x.CondExpr != nil {
			c, csym, ok := e.symbolize(x.CondExpr, child, depth+1)
			if !ok || csym || c.Type() != cty.Bool || c.IsNull() {
				return cty.NilVal, false, false
			}
			if c.False() {
				continue
			}
		}
		val, vsym, ok := e.symbolize(x.ValExpr, child, depth+1)
		if !ok {
			return cty.NilVal, false, false
		}
		symbolic = symbolic || vsym
		if x.KeyExpr == nil {
			elems = append(elems, val)
			continue
		}
		kv, ksym, ok := e.symbolize(x.KeyExpr, child, depth+1)
		if !ok || ksym {
			return cty.NilVal, false, false
		}
		ks, err := convert.Convert(kv, cty.String)
		if err != nil || ks.IsNull() {
			return cty.NilVal, false, false
		}
		key := ks.AsString()
		if x.Group {
			if _, seen := groups[key]; !seen {
				order = append(order, key)
			}
			groups[key] = append(groups[key], val)
			continue
		}
		if _, dup := attrs[key]; dup {
			return cty.NilVal, false, false
		}
		attrs[key] = val
	}
	switch {
	case x.KeyExpr == nil:
		return cty.TupleVal(elems), symbolic, true
	case x.Group:
		for _, k := range order {
			attrs[k] = cty.TupleVal(groups[k])
		}
	}
	return cty.ObjectVal(attrs), symbolic, true
}

// plainVerbs reports whether a format string only has %s, %v and %%:
// verbs that copy text. Widths, %q or %d depend on the hidden text.
func plainVerbs(f cty.Value) bool {
	if f.Type() != cty.String || f.IsNull() {
		return false
	}
	s := f.AsString()
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+1 >= len(s) {
			return false
		}
		switch s[i+1] {
		case 's', 'v', '%':
			i++
		default:
			return false
		}
	}
	return true
}

// symbolTraverse follows a reference. A step into an unknown that has a
// plain symbol "<X>" gives the symbol "<X.step>": the attribute of a value
// nobody knows yet is named by its own expression.
func symbolTraverse(t hcl.Traversal, ctx *hcl.EvalContext) (cty.Value, bool, bool) {
	if len(t) == 0 {
		return cty.NilVal, false, false
	}
	root, ok := t[0].(hcl.TraverseRoot)
	if !ok {
		return cty.NilVal, false, false
	}
	var cur cty.Value
	found := false
	for c := ctx; c != nil && !found; c = c.Parent() {
		cur, found = c.Variables[root.Name]
	}
	if !found {
		return cty.NilVal, false, false
	}
	for i, step := range t[1:] {
		if u, _ := cur.Unmark(); !u.IsKnown() {
			sym, ok := reason.SymbolName(cur)
			if !ok || !reason.IsBare(sym) || u.Type().IsPrimitiveType() {
				return cty.NilVal, false, false
			}
			var b strings.Builder
			b.WriteString(sym[:len(sym)-1])
			for _, s := range t[1+i:] {
				if !writeStep(&b, s) {
					return cty.NilVal, false, false
				}
			}
			b.WriteByte('>')
			return cty.StringVal(b.String()), true, true
		}
		next, d := step.TraversalStep(cur)
		if d.HasErrors() {
			return cty.NilVal, false, false
		}
		cur = next
	}
	out, ok := reason.Concretize(cur)
	if !ok {
		return cty.NilVal, false, false
	}
	plain, _ := cur.UnmarkDeep()
	return out, !plain.IsWhollyKnown(), true
}

func writeStep(b *strings.Builder, s hcl.Traverser) bool {
	switch s := s.(type) {
	case hcl.TraverseAttr:
		b.WriteString("." + s.Name)
	case hcl.TraverseIndex:
		k, _ := s.Key.Unmark()
		if !k.IsKnown() || k.IsNull() {
			return false
		}
		switch k.Type() {
		case cty.String:
			b.WriteString("[" + strconv.Quote(k.AsString()) + "]")
		case cty.Number:
			b.WriteString("[" + k.AsBigFloat().Text('f', -1) + "]")
		default:
			return false
		}
	default:
		return false
	}
	return b.Len() <= reason.MaxSymbolLen
}

// templateText is how a template interpolation writes a value.
func templateText(v cty.Value) (string, bool) {
	if v.IsNull() || !v.IsKnown() {
		return "", false
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", false
	}
	return s.AsString(), true
}

// withSymbols drops the symbols that marks carried through operations
// into v and attaches the ones symbolize derives for x.
func (e *evaluator) withSymbols(x hcl.Expression, ctx *hcl.EvalContext, v cty.Value) cty.Value {
	v = reason.StripSymbols(v)
	if plain, _ := v.UnmarkDeep(); plain.IsWhollyKnown() {
		return v
	}
	sv, sym, ok := e.symbolize(x, ctx, 0)
	if !ok || !sym {
		return v
	}
	return reason.Attach(v, sv)
}
