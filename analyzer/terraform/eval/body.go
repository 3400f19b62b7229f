package eval

import (
	"maps"
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// bodyValue evaluates a block body without a schema: every argument becomes
// an attribute and every nested block type a tuple of objects, with dynamic
// blocks expanded. Terraform 0.11-style "block = { … }" arguments stay
// objects; decoders accept both shapes. top skips resource meta-arguments.
func (e *evaluator) bodyValue(b hcl.Body, sc *scope, top bool) cty.Value {
	if sb, ok := b.(*hclsyntax.Body); ok {
		return e.syntaxBody(sb, sc, top)
	}
	if ob, ok := b.(*config.OverrideBody); ok {
		// A JSON override (or base): the override's arguments and block
		// types, each one value here, replace the base's.
		out := map[string]cty.Value{}
		for _, part := range []hcl.Body{ob.Base, ob.Over} {
			for k, v := range e.bodyValue(part, sc, top).AsValueMap() {
				out[k] = v
			}
		}
		return cty.ObjectVal(out)
	}
	attrs, diags := b.JustAttributes()
	e.diags = append(e.diags, diags...)
	out := map[string]cty.Value{}
	var dynamic *hcl.Attribute
	// In name order: evaluating an attribute may resolve others and report
	// what it finds, the same way every run.
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		a := attrs[name]
		if top && config.MetaArgument(name) {
			continue
		}
		if name == "dynamic" {
			dynamic = a
			continue
		}
		v, _ := e.exprValue(a.Expr, sc)
		out[name] = v
	}
	if dynamic != nil {
		e.jsonDynamicBlocks(dynamic, sc, out)
	}
	return cty.ObjectVal(out)
}

// jsonDynamicBlocks expands the "dynamic" property of a JSON-syntax body:
// {"dynamic": {"TYPE": {"for_each": …, "iterator": …, "content": {…}}}}, or
// a list of such objects for several dynamic blocks of one type. The
// generated blocks join the body's blocks of that type (written as one
// object or a list of them) as a tuple of objects, like native syntax.
func (e *evaluator) jsonDynamicBlocks(a *hcl.Attribute, sc *scope, out map[string]cty.Value) {
	invalid := func(rng hcl.Range, detail string) {
		e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid dynamic block", Detail: detail, Subject: rng.Ptr()})
	}
	types, diags := hcl.ExprMap(a.Expr)
	if diags.HasErrors() {
		invalid(a.Range, "In JSON syntax, \"dynamic\" must be an object whose properties name the block types to generate.")
		return
	}
	for _, kv := range types {
		tv, d := kv.Key.Value(nil)
		if d.HasErrors() || tv.Type() != cty.String || tv.IsNull() {
			invalid(kv.Key.Range(), "A dynamic block type must be a name.")
			continue
		}
		typ := tv.AsString()
		specs := []hcl.Expression{kv.Value}
		if list, d := hcl.ExprList(kv.Value); !d.HasErrors() {
			specs = list
		}
		blocks := existingBlocks(out[typ])
		var unknown cty.Value
		for _, spec := range specs {
			vals, unk := e.jsonDynamicBlock(typ, spec, sc, invalid)
			if unk != cty.NilVal {
				unknown = unk
			}
			blocks = append(blocks, vals...)
		}
		if unknown != cty.NilVal {
			out[typ] = unknown
			continue
		}
		out[typ] = cty.TupleVal(blocks)
	}
}

func (e *evaluator) jsonDynamicBlock(typ string, spec hcl.Expression, sc *scope, invalid func(hcl.Range, string)) ([]cty.Value, cty.Value) {
	props, diags := hcl.ExprMap(spec)
	if diags.HasErrors() {
		invalid(spec.Range(), "A dynamic block is an object with for_each and content.")
		return nil, cty.NilVal
	}
	iter := typ
	var forEach, content hcl.Expression
	for _, kv := range props {
		k, d := kv.Key.Value(nil)
		if d.HasErrors() || k.Type() != cty.String || k.IsNull() {
			continue
		}
		switch k.AsString() {
		case "for_each":
			forEach = kv.Value
		case "content":
			content = kv.Value
		case "iterator":
			// A JSON string naming the variable: its literal text.
			if v, d := kv.Value.Value(nil); !d.HasErrors() && v.Type() == cty.String && !v.IsNull() && hclsyntax.ValidIdentifier(v.AsString()) {
				iter = v.AsString()
			} else {
				invalid(kv.Value.Range(), "Dynamic iterator must be a single variable name.")
			}
		}
	}
	if forEach == nil || content == nil {
		invalid(spec.Range(), "A dynamic block needs a for_each argument and a content block.")
		return nil, cty.NilVal
	}
	return e.expandDynamic(typ, iter, forEach, sc, func(inner *scope) cty.Value {
		val, _ := e.exprValue(content, inner)
		return val
	}, invalid)
}

// existingBlocks lists the blocks a JSON body wrote for one type: none, one
// object, or a list of objects.
func existingBlocks(v cty.Value) []cty.Value {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return nil
	}
	if t := v.Type(); t.IsTupleType() || t.IsListType() {
		return v.AsValueSlice()
	}
	return []cty.Value{v}
}

func (e *evaluator) syntaxBody(b *hclsyntax.Body, sc *scope, top bool) cty.Value {
	out := make(map[string]cty.Value, len(b.Attributes)+len(b.Blocks))
	names := make([]string, 0, len(b.Attributes))
	for name := range b.Attributes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if top && config.MetaArgument(name) {
			continue
		}
		v, _ := e.exprValue(b.Attributes[name].Expr, sc)
		out[name] = v
	}
	blocks := map[string][]cty.Value{}
	unknown := map[string]cty.Value{}
	var order []string
	for _, blk := range b.Blocks {
		if top && config.MetaArgument(blk.Type) {
			continue
		}
		typ := blk.Type
		if typ == "dynamic" {
			if len(blk.Labels) != 1 {
				continue
			}
			typ = blk.Labels[0]
		}
		if _, seen := blocks[typ]; !seen {
			order = append(order, typ)
			blocks[typ] = []cty.Value{}
		}
		if blk.Type == "dynamic" {
			vals, unk := e.dynamicBlock(blk, sc)
			if unk != cty.NilVal {
				unknown[typ] = unk
			}
			blocks[typ] = append(blocks[typ], vals...)
			continue
		}
		blocks[typ] = append(blocks[typ], e.syntaxBody(blk.Body, sc, false))
	}
	for _, typ := range order {
		if _, clash := out[typ]; clash {
			e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Argument and block with the same name",
				Detail: typ + " is set both as an argument and as a block.", Subject: b.SrcRange.Ptr()})
			continue
		}
		if u, ok := unknown[typ]; ok {
			out[typ] = u
			continue
		}
		out[typ] = cty.TupleVal(blocks[typ])
	}
	return cty.ObjectVal(out)
}

// dynamicBlock expands one dynamic block. If its for_each is unknown, the
// second result is an unknown standing for the whole block list.
func (e *evaluator) dynamicBlock(blk *hclsyntax.Block, sc *scope) ([]cty.Value, cty.Value) {
	iter := blk.Labels[0]
	var forEach hcl.Expression
	if a, ok := blk.Body.Attributes["for_each"]; ok {
		forEach = a.Expr
	}
	if a, ok := blk.Body.Attributes["iterator"]; ok {
		if t, d := hcl.AbsTraversalForExpr(a.Expr); !d.HasErrors() && len(t) == 1 {
			iter = t.RootName()
		} else {
			e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid dynamic iterator name",
				Detail: "Dynamic iterator must be a single variable name.", Subject: a.Expr.Range().Ptr()})
		}
	}
	var content *hclsyntax.Block
	for _, c := range blk.Body.Blocks {
		if c.Type == "content" {
			content = c
		}
	}
	if forEach == nil || content == nil {
		e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Incomplete dynamic block",
			Detail: "A dynamic block needs a for_each argument and a content block.", Subject: blk.DefRange().Ptr()})
		return nil, cty.NilVal
	}
	notIterable := func(rng hcl.Range, detail string) {
		e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid dynamic for_each value", Detail: detail, Subject: rng.Ptr()})
	}
	return e.expandDynamic(blk.Labels[0], iter, forEach, sc, func(inner *scope) cty.Value {
		return e.syntaxBody(content.Body, inner, false)
	}, notIterable)
}

// expandDynamic evaluates a dynamic block's for_each and its content once
// per element, with the iterator bound. An unknown for_each gives the
// unknown that stands for the whole block list; a value that can not be
// iterated is reported through invalid.
func (e *evaluator) expandDynamic(typ, iter string, forEach hcl.Expression, sc *scope, content func(*scope) cty.Value, invalid func(hcl.Range, string)) ([]cty.Value, cty.Value) {
	coll, diags := e.exprValue(forEach, sc)
	if diags.HasErrors() {
		return nil, coll
	}
	plain, reasons := reason.Of(coll)
	if !plain.IsWhollyKnown() {
		text := "dynamic \"" + typ + "\" for_each is not known"
		if len(reasons) > 0 {
			text += because(reasons)
		}
		return nil, reason.Unknown(cty.DynamicPseudoType, text, forEach.Range())
	}
	if plain.IsNull() || !plain.CanIterateElements() {
		invalid(forEach.Range(), "Cannot use a "+plain.Type().FriendlyName()+" value in for_each. An iterable collection is required.")
		return nil, cty.NilVal
	}
	var out []cty.Value
	coll, _ = coll.Unmark()
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		out = append(out, content(sc.with(iter, cty.ObjectVal(map[string]cty.Value{"key": k, "value": v}))))
	}
	return out, cty.NilVal
}
