package config

import (
	"fmt"
	"maps"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Override files (override.tf, *_override.tf and their .tf.json forms)
// patch blocks declared in the module's other files: each argument of an
// override block replaces the argument of the same name, each nested block
// type it contains replaces all nested blocks of that type, and locals are
// replaced value by value. Terraform applies them after every primary file,
// in lexical order; so does Load.

func isOverrideFile(name string) bool {
	base := filepath.Base(name)
	for _, ext := range []string{".tf", ".tf.json"} {
		if base == "override"+ext || strings.HasSuffix(base, "_override"+ext) {
			return true
		}
	}
	return false
}

// blockKey names a top-level block the way overrides find it: its type and
// labels, and for providers the alias. Blocks that are not overridden by
// key (locals, terraform) have none.
func blockKey(b *hcl.Block) string {
	switch b.Type {
	case "variable", "output", "module", "resource", "data":
		return b.Type + "." + strings.Join(b.Labels, ".")
	case "provider":
		return "provider." + b.Labels[0] + "." + providerAlias(b.Body)
	}
	return ""
}

func providerAlias(body hcl.Body) string {
	content, _, _ := body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "alias"}}})
	if content == nil {
		return ""
	}
	a, ok := content.Attributes["alias"]
	if !ok {
		return ""
	}
	v, d := a.Expr.Value(nil)
	if d.HasErrors() || v.Type() != cty.String || v.IsNull() || !v.IsKnown() {
		return ""
	}
	return v.AsString()
}

func (m *Module) applyOverrideFile(pf parsedFile) hcl.Diagnostics {
	blocks, diags := m.fileBlocks(pf)
	for _, b := range blocks {
		diags = append(diags, m.applyOverride(b)...)
	}
	return diags
}

func (m *Module) applyOverride(over *hcl.Block) hcl.Diagnostics {
	if over.Type == "locals" {
		return m.overrideLocals(over)
	}
	key := blockKey(over)
	if key == "" {
		// terraform, moved, import, check …: nothing the loader reads.
		return nil
	}
	base, ok := m.blocks[key]
	if !ok {
		what := over.Type + " " + strings.Join(quoted(over.Labels), " ")
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing base " + over.Type + " to override",
			Detail:  fmt.Sprintf("There is no %s declared in a primary configuration file; an override file can only override a block defined elsewhere in the module.", what),
			Subject: over.DefRange.Ptr()}}
	}
	merged := mergeBlocks(base, over)
	m.blocks[key] = merged
	switch over.Type {
	case "variable":
		delete(m.Variables, over.Labels[0])
		return m.addVariable(merged)
	case "output":
		delete(m.Outputs, over.Labels[0])
		return m.addOutput(merged)
	case "module":
		delete(m.ModuleCalls, over.Labels[0])
		return m.addModuleCall(merged)
	case "provider":
		for k, p := range m.Providers {
			if p.Name == over.Labels[0] && "provider."+p.Name+"."+p.Alias == key {
				delete(m.Providers, k)
			}
		}
		return m.addProvider(merged)
	}
	mode := Managed
	if over.Type == "data" {
		mode = Data
	}
	for i, r := range m.Resources {
		if r.Mode == mode && r.Type == over.Labels[0] && r.Name == over.Labels[1] {
			nr, diags := newResource(merged, mode)
			m.Resources[i] = nr
			if m.resourceByKey != nil {
				m.resourceByKey[nr.Key()] = nr
			}
			return diags
		}
	}
	return nil
}

func (m *Module) overrideLocals(over *hcl.Block) hcl.Diagnostics {
	attrs, diags := over.Body.JustAttributes()
	for _, name := range sortedAttrNames(attrs) {
		a := attrs[name]
		l, ok := m.Locals[name]
		if !ok {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing base local value definition to override",
				Detail: fmt.Sprintf("There is no local value named %q declared in a primary configuration file.", name), Subject: a.Range.Ptr()})
			continue
		}
		l.Expr, l.Range = a.Expr, a.Range
	}
	return diags
}

// mergeBlocks applies over to base: arguments by name, nested blocks by
// type (a dynamic block counts as the type it generates). Two native-syntax
// bodies merge into one; when either is JSON the result is an
// OverrideBody, which answers schema queries merged and which the
// evaluator merges value by value.
func mergeBlocks(base, over *hcl.Block) *hcl.Block {
	merged := *base
	bb, ok1 := base.Body.(*hclsyntax.Body)
	ob, ok2 := over.Body.(*hclsyntax.Body)
	if !ok1 || !ok2 {
		merged.Body = &OverrideBody{Base: base.Body, Over: over.Body}
		return &merged
	}
	merged.Body = &hclsyntax.Body{
		Attributes: overridden(bb.Attributes, ob.Attributes),
		Blocks:     replaceTypes(bb.Blocks, ob.Blocks, generatedType),
		SrcRange:   bb.SrcRange,
		EndRange:   bb.EndRange,
	}
	return &merged
}

// overridden is base with over's entries in place of base's.
func overridden[M ~map[string]V, V any](base, over M) M {
	out := make(M, len(base)+len(over))
	maps.Copy(out, base)
	maps.Copy(out, over)
	return out
}

// replaceTypes keeps the blocks of base of a type over has none of, then
// appends over's blocks.
func replaceTypes[S ~[]B, B any](base, over S, typeOf func(B) string) S {
	replaced := map[string]bool{}
	for _, b := range over {
		replaced[typeOf(b)] = true
	}
	out := S{}
	for _, b := range base {
		if !replaced[typeOf(b)] {
			out = append(out, b)
		}
	}
	return append(out, over...)
}

// OverrideBody is a block body patched by an override block when either is
// written in JSON syntax, whose bodies cannot be rebuilt: schema queries
// answer with the override's arguments and nested block types in place of
// the base's.
type OverrideBody struct {
	Base, Over hcl.Body
}

// Content implements hcl.Body. Arguments the schema requires may come from
// either body.
func (b *OverrideBody) Content(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	content, remain, diags := b.PartialContent(schema)
	if r, ok := remain.(*OverrideBody); ok {
		// Anything left over in the base is reported by the base itself.
		_, d := r.Base.Content(&hcl.BodySchema{})
		for _, x := range d {
			if x.Summary != "Unsupported argument" && x.Summary != "Unsupported block type" {
				diags = append(diags, x)
			}
		}
	}
	return content, diags
}

// PartialContent implements hcl.Body.
func (b *OverrideBody) PartialContent(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	lenient := &hcl.BodySchema{Blocks: schema.Blocks}
	for _, a := range schema.Attributes {
		lenient.Attributes = append(lenient.Attributes, hcl.AttributeSchema{Name: a.Name})
	}
	bc, br, diags := b.Base.PartialContent(lenient)
	oc, or, d := b.Over.PartialContent(lenient)
	diags = append(diags, d...)
	out := &hcl.BodyContent{
		Attributes:       overridden(bc.Attributes, oc.Attributes),
		Blocks:           replaceTypes(bc.Blocks, oc.Blocks, func(b *hcl.Block) string { return b.Type }),
		MissingItemRange: bc.MissingItemRange,
	}
	for _, a := range schema.Attributes {
		if _, ok := out.Attributes[a.Name]; a.Required && !ok {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing required argument",
				Detail: fmt.Sprintf("The argument %q is required, but no definition was found.", a.Name), Subject: bc.MissingItemRange.Ptr()})
		}
	}
	return out, &OverrideBody{Base: br, Over: or}, diags
}

// JustAttributes implements hcl.Body: the override's arguments replace the
// base's.
func (b *OverrideBody) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	attrs, diags := b.Base.JustAttributes()
	over, d := b.Over.JustAttributes()
	return overridden(attrs, over), append(diags, d...)
}

// MissingItemRange implements hcl.Body.
func (b *OverrideBody) MissingItemRange() hcl.Range { return b.Base.MissingItemRange() }

func generatedType(b *hclsyntax.Block) string {
	if b.Type == "dynamic" && len(b.Labels) == 1 {
		return b.Labels[0]
	}
	return b.Type
}

func quoted(labels []string) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = fmt.Sprintf("%q", l)
	}
	return out
}
