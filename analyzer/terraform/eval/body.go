package eval

import (
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
	attrs, diags := b.JustAttributes()
	e.diags = append(e.diags, diags...)
	out := map[string]cty.Value{}
	for name, a := range attrs {
		if top && config.MetaArgument(name) {
			continue
		}
		if name == "dynamic" {
			e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Dynamic block in JSON not expanded",
				Detail: "lambdacheck does not expand dynamic blocks written in JSON syntax; the blocks they generate are unknown.", Subject: a.Range.Ptr()})
			continue
		}
		v, _ := e.exprValue(a.Expr, sc)
		out[name] = v
	}
	return cty.ObjectVal(out)
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
	coll, diags := e.exprValue(forEach, sc)
	if diags.HasErrors() {
		return nil, coll
	}
	plain, reasons := reason.Of(coll)
	if !plain.IsWhollyKnown() {
		text := "dynamic \"" + blk.Labels[0] + "\" for_each is not known"
		if len(reasons) > 0 {
			text += because(reasons)
		}
		return nil, reason.Unknown(cty.DynamicPseudoType, text, forEach.Range())
	}
	if plain.IsNull() || !plain.CanIterateElements() {
		e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid dynamic for_each value",
			Detail: "Cannot use a " + plain.Type().FriendlyName() + " value in for_each. An iterable collection is required.", Subject: forEach.Range().Ptr()})
		return nil, cty.NilVal
	}
	var out []cty.Value
	coll, _ = coll.Unmark()
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		inner := sc.with(iter, cty.ObjectVal(map[string]cty.Value{"key": k, "value": v}))
		out = append(out, e.syntaxBody(content.Body, inner, false))
	}
	return out, cty.NilVal
}
