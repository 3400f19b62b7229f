package eval

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// scope is where an expression is evaluated: a module instance plus the
// per-instance symbols count, each and dynamic-block iterators.
type scope struct {
	mod   *ModuleInstance
	count cty.Value // cty.NilVal outside count
	each  *eachVals
	extra map[string]cty.Value
}

type eachVals struct{ key, value cty.Value }

func (s *scope) with(name string, v cty.Value) *scope {
	n := *s
	n.extra = make(map[string]cty.Value, len(s.extra)+1)
	for k, x := range s.extra {
		n.extra[k] = x
	}
	n.extra[name] = v
	return &n
}

// exprValue evaluates x in sc. On errors the diagnostics are recorded and
// the value is an unknown carrying the first error as its reason, so one
// broken expression does not stop the rest.
func (e *evaluator) exprValue(x hcl.Expression, sc *scope) (cty.Value, hcl.Diagnostics) {
	ctx, diags := e.evalContext(x.Variables(), sc)
	if why := forBudget(x, ctx); why != "" {
		e.diags = append(e.diags, diags...)
		e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Value too large",
			Detail: "This expression has " + why + "; it is not evaluated.", Subject: x.Range().Ptr()})
		return reason.Unknown(cty.DynamicPseudoType, "the value is too large: "+why, x.Range()), diags
	}
	from := len(e.reads)
	v, d := x.Value(ctx)
	v, d = e.unreadable(v, d)
	d = e.withoutContents(d, from)
	if nested := computedNested(x, d); nested != "" {
		// Terraform knows each resource's schema, and an attribute of a
		// nested block (domain_name_configuration[0].hosted_zone_id) that
		// the configuration does not set is computed at apply; without the
		// schema, reading one is an unknown, not an error.
		for _, dg := range d {
			if dg.Severity != hcl.DiagError {
				e.diags = append(e.diags, dg)
			}
		}
		e.diags = append(e.diags, diags...)
		return reason.Unknown(cty.DynamicPseudoType, nested+" is a nested attribute the provider computes at apply", x.Range()), diags
	}
	diags = append(diags, d...)
	e.diags = append(e.diags, diags...)
	if diags.HasErrors() {
		for _, dg := range diags {
			if dg.Severity == hcl.DiagError {
				return reason.Unknown(cty.DynamicPseudoType, dg.Summary+": "+dg.Detail, x.Range()), diags
			}
		}
	}
	return e.withSymbols(x, ctx, e.budgeted(x, v)), diags
}

// computedNested returns the reference when every error in d is an
// unsupported attribute below the first attribute of a resource or data
// source reference in x, and "" otherwise.
func computedNested(x hcl.Expression, d hcl.Diagnostics) string {
	if !d.HasErrors() {
		return ""
	}
	ref := ""
	for _, dg := range d {
		if dg.Severity != hcl.DiagError {
			continue
		}
		if dg.Summary != "Unsupported attribute" || dg.Subject == nil {
			return ""
		}
		found := false
		for _, t := range x.Variables() {
			root := t.RootName()
			switch root {
			case "var", "local", "module", "path", "terraform", "count", "each", "self":
				continue
			}
			first := 2 // TYPE.NAME.attr, or data.TYPE.NAME.attr
			if root == "data" {
				first = 3
			}
			if _, ok := attrAfterIndex(t, first); !ok {
				continue
			}
			r := t.SourceRange()
			if r.Filename == dg.Subject.Filename && dg.Subject.Start.Byte > r.Start.Byte && dg.Subject.End.Byte <= r.End.Byte &&
				dg.Subject.Start.Byte > attrEnd(t, first) {
				found, ref = true, string(traversalText(t))
				break
			}
		}
		if !found {
			return ""
		}
	}
	return ref
}

// attrEnd is the end offset of the step that reads the resource's own
// attribute: an error after it is inside a nested value.
func attrEnd(t hcl.Traversal, first int) int {
	i := first
	if i < len(t) {
		if _, ok := t[i].(hcl.TraverseIndex); ok {
			i++
		}
	}
	if i < len(t) {
		return t[i].SourceRange().End.Byte
	}
	return t.SourceRange().End.Byte
}

func traversalText(t hcl.Traversal) []byte {
	var b []byte
	for _, s := range t {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			b = append(b, s.Name...)
		case hcl.TraverseAttr:
			b = append(append(b, '.'), s.Name...)
		case hcl.TraverseIndex:
			b = append(b, "[…]"...)
		}
	}
	return b
}

// refSet collects, per referenced object, which attributes are read; nil
// means the whole object.
type refSet map[string]map[string]hcl.Range

// keys are the set's keys in order (most sets hold one).
func (r refSet) keys() []string {
	if len(r) == 1 {
		for k := range r {
			return []string{k}
		}
	}
	return slices.Sorted(maps.Keys(r))
}

func (r refSet) add(key, attr string, rng hcl.Range) {
	cur, seen := r[key]
	if attr == "" {
		r[key] = nil
		return
	}
	if seen && cur == nil {
		return
	}
	if cur == nil {
		cur = map[string]hcl.Range{}
		r[key] = cur
	}
	cur[attr] = rng
}

// evalContext builds the variables an expression's traversals need, and
// nothing else, resolving each referenced node on demand.
func (e *evaluator) evalContext(traversals []hcl.Traversal, sc *scope) (*hcl.EvalContext, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	vars := map[string]cty.Value{}
	varObj, localObj := map[string]cty.Value{}, map[string]cty.Value{}
	mods, ress := refSet{}, refSet{}
	// Resource types referenced as TYPE.NAME and as resource.TYPE.NAME
	// (Terraform's escape for a type named like a reserved word, so only
	// the bare form becomes a root variable).
	bare, prefixed := map[string]bool{}, map[string]bool{}
	m := sc.mod
	for _, t := range traversals {
		root := t.RootName()
		if v, ok := sc.extra[root]; ok {
			vars[root] = v
			continue
		}
		rng := t.SourceRange()
		switch root {
		case "var", "local":
			name, ok := attrAt(t, 1)
			if !ok {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid reference",
					Detail: fmt.Sprintf("The %q object must be followed by an attribute name.", root), Subject: rng.Ptr()})
				continue
			}
			table, obj := m.vars, varObj
			what := "input variable"
			if root == "local" {
				table, obj, what = m.locals, localObj, "local value"
			}
			n, ok := table[name]
			if !ok {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Reference to undeclared " + what,
					Detail: fmt.Sprintf("A %s named %q was not declared in %s.", what, name, moduleName(m)), Subject: rng.Ptr()})
				obj[name] = reason.Unknown(cty.DynamicPseudoType, fmt.Sprintf("%s.%s is not declared", root, name), rng)
				continue
			}
			obj[name] = e.resolve(n)
		case "module":
			name, ok := attrAt(t, 1)
			if !ok {
				continue
			}
			if _, ok := m.calls[name]; !ok {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Reference to undeclared module",
					Detail: fmt.Sprintf("No module call named %q is declared in %s.", name, moduleName(m)), Subject: rng.Ptr()})
				continue
			}
			out, _ := attrAfterIndex(t, 2)
			mods.add(name, out, rng)
		case "data":
			ty, ok1 := attrAt(t, 1)
			name, ok2 := attrAt(t, 2)
			if !ok1 || !ok2 {
				continue
			}
			attr, _ := attrAfterIndex(t, 3)
			ress.add("data."+ty+"."+name, attr, rng)
		case "resource":
			ty, ok1 := attrAt(t, 1)
			name, ok2 := attrAt(t, 2)
			if !ok1 || !ok2 {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid reference",
					Detail: `The "resource" object must be followed by two attribute names: the resource type and the resource name.`, Subject: rng.Ptr()})
				continue
			}
			attr, _ := attrAfterIndex(t, 3)
			ress.add(ty+"."+name, attr, rng)
			prefixed[ty] = true
		case "path":
			rel := "."
			if m.Config != nil && m.Config.Rel != "" {
				rel = m.Config.Rel
			}
			vars["path"] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal(rel), "root": cty.StringVal("."), "cwd": cty.StringVal(filepath.ToSlash(e.dir)),
			})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		case "count":
			if sc.count == cty.NilVal {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: `Reference to "count" in non-counted context`,
					Detail: `The "count" object can only be used in "module", "resource", and "data" blocks, and only when the "count" argument is set.`, Subject: rng.Ptr()})
				continue
			}
			vars["count"] = cty.ObjectVal(map[string]cty.Value{"index": sc.count})
		case "each":
			if sc.each == nil {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: `Reference to "each" in context without for_each`,
					Detail: `The "each" object can be used only in "module" or "resource" blocks, and only when the "for_each" argument is set.`, Subject: rng.Ptr()})
				continue
			}
			vars["each"] = cty.ObjectVal(map[string]cty.Value{"key": sc.each.key, "value": sc.each.value})
		case "self":
			vars["self"] = reason.Unknown(cty.DynamicPseudoType, "self is only known in provisioners", rng)
		default:
			name, ok := attrAt(t, 1)
			if !ok {
				// Let HCL report the unknown variable.
				continue
			}
			attr, _ := attrAfterIndex(t, 2)
			ress.add(root+"."+name, attr, rng)
			bare[root] = true
		}
	}
	if len(varObj) > 0 {
		vars["var"] = cty.ObjectVal(varObj)
	}
	if len(localObj) > 0 {
		vars["local"] = cty.ObjectVal(localObj)
	}
	if len(mods) > 0 {
		obj := map[string]cty.Value{}
		// In name order: resolving a call may expand it, and what that
		// reports must come out in the same order every run.
		for _, name := range mods.keys() {
			obj[name] = e.moduleOutputs(m.calls[name], mods[name], hcl.Range{})
		}
		vars["module"] = cty.ObjectVal(obj)
	}
	if len(ress) > 0 {
		types := map[string]map[string]cty.Value{}
		for _, key := range ress.keys() {
			want := ress[key]
			rn, ok := m.resources[key]
			var v cty.Value
			ty, name := splitKey(key)
			if !ok {
				var rng hcl.Range
				// The first reference in the source (a map has no order).
				for _, r := range want {
					if rng.Filename == "" || r.Start.Byte < rng.Start.Byte {
						rng = r
					}
				}
				if want == nil && len(traversals) > 0 {
					rng = traversals[0].SourceRange()
				}
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Reference to undeclared resource",
					Detail: fmt.Sprintf("A resource %q has not been declared in %s.", key, moduleName(m)), Subject: rng.Ptr()})
				v = reason.Unknown(cty.DynamicPseudoType, key+" is not declared", rng)
			} else {
				v = e.resourceRef(rn, want)
			}
			if types[ty] == nil {
				types[ty] = map[string]cty.Value{}
			}
			types[ty][name] = v
		}
		data, res := map[string]cty.Value{}, map[string]cty.Value{}
		for ty, names := range types {
			if len(ty) > 5 && ty[:5] == "data." {
				data[ty[5:]] = cty.ObjectVal(names)
				continue
			}
			if bare[ty] {
				vars[ty] = cty.ObjectVal(names)
			}
			if prefixed[ty] {
				res[ty] = cty.ObjectVal(names)
			}
		}
		if len(data) > 0 {
			vars["data"] = cty.ObjectVal(data)
		}
		if len(res) > 0 {
			vars["resource"] = cty.ObjectVal(res)
		}
	}
	return &hcl.EvalContext{Variables: vars, Functions: e.funcs}, diags
}

func moduleName(m *ModuleInstance) string {
	if m.Addr == "" {
		return "the root module"
	}
	return m.Addr
}

// splitKey splits "TYPE.NAME" or "data.TYPE.NAME" into its type part
// ("TYPE" or "data.TYPE") and name.
func splitKey(key string) (string, string) {
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == '.' {
			return key[:i], key[i+1:]
		}
	}
	return key, ""
}

func attrAt(t hcl.Traversal, i int) (string, bool) {
	if i >= len(t) {
		return "", false
	}
	if a, ok := t[i].(hcl.TraverseAttr); ok {
		return a.Name, true
	}
	return "", false
}

// attrAfterIndex returns the attribute name at position i, or at i+1 when
// position i is an index step (count/for_each instance).
func attrAfterIndex(t hcl.Traversal, i int) (string, bool) {
	if i < len(t) {
		if _, ok := t[i].(hcl.TraverseIndex); ok {
			i++
		}
	}
	return attrAt(t, i)
}
