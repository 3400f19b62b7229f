package cloudformation

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"go.yaml.in/yaml/v3"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

const maxDepth = 64

func (t *template) rng(n *yaml.Node) hcl.Range {
	line := 0
	if n != nil {
		line = n.Line
	}
	return hcl.Range{Filename: t.path, Start: hcl.Pos{Line: line}, End: hcl.Pos{Line: line}}
}

// symbol is an unknown string standing for text decided at deploy time.
func (t *template) symbol(text, why string, n *yaml.Node) cty.Value {
	return reason.Symbolic(cty.String, text, why, t.rng(n))
}

// intrinsic returns the function name and argument of an intrinsic node:
// a short tag (!Ref x) or a one-key mapping ({"Ref": x}).
func intrinsic(n *yaml.Node) (string, *yaml.Node, bool) {
	if n == nil {
		return "", nil, false
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		name := n.Tag[1:]
		if name != "Ref" && name != "Condition" {
			name = "Fn::" + name
		}
		arg := *n
		arg.Tag = ""
		if n.Kind == yaml.ScalarNode {
			arg.Tag = "!!str"
		}
		return name, &arg, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
			return k, deref(n.Content[1]), true
		}
	}
	return "", nil, false
}

// value evaluates a template value.
func (t *template) value(n *yaml.Node, depth int) cty.Value {
	n = deref(n)
	if n == nil || depth > maxDepth {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	if fn, arg, ok := intrinsic(n); ok {
		return t.call(fn, arg, n, depth+1)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return cty.NullVal(cty.DynamicPseudoType)
		case "!!bool":
			return cty.BoolVal(strings.EqualFold(n.Value, "true"))
		case "!!int", "!!float":
			if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
				return cty.NumberFloatVal(f)
			}
		}
		return cty.StringVal(n.Value)
	case yaml.SequenceNode:
		var elems []cty.Value
		for _, c := range n.Content {
			v := t.value(c, depth+1)
			if isNoValue(v) {
				continue
			}
			elems = append(elems, v)
		}
		if len(elems) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(elems)
	case yaml.MappingNode:
		attrs := map[string]cty.Value{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v := t.value(n.Content[i+1], depth+1)
			if isNoValue(v) {
				continue
			}
			attrs[n.Content[i].Value] = v
		}
		if len(attrs) == 0 {
			return cty.EmptyObjectVal
		}
		return cty.ObjectVal(attrs)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// noValue is AWS::NoValue: the property is removed.
type noValueMark struct{}

func isNoValue(v cty.Value) bool { return v.HasMark(noValueMark{}) }

func (t *template) call(fn string, arg *yaml.Node, n *yaml.Node, depth int) cty.Value {
	switch fn {
	case "Ref":
		return t.ref(arg.Value, n, depth)
	case "Fn::GetAtt":
		var id, attr string
		if arg.Kind == yaml.ScalarNode {
			id, attr, _ = strings.Cut(arg.Value, ".")
		} else if len(arg.Content) == 2 {
			id, attr = arg.Content[0].Value, t.str(t.value(arg.Content[1], depth))
		}
		return t.getAtt(id, attr, n, depth)
	case "Fn::Sub":
		if arg.Kind == yaml.ScalarNode {
			return t.sub(arg.Value, nil, n, depth)
		}
		if arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 {
			vars := map[string]cty.Value{}
			m := deref(arg.Content[1])
			for i := 0; m != nil && i+1 < len(m.Content); i += 2 {
				vars[m.Content[i].Value] = t.value(m.Content[i+1], depth)
			}
			return t.sub(deref(arg.Content[0]).Value, vars, n, depth)
		}
	case "Fn::Join":
		if arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 {
			sep := t.str(t.value(arg.Content[0], depth))
			list := t.value(arg.Content[1], depth)
			if !list.IsKnown() || !(list.Type().IsTupleType() || list.Type().IsListType()) {
				return t.unknown("Fn::Join of a list unknown until deploy", n)
			}
			var parts []cty.Value
			for it := list.ElementIterator(); it.Next(); {
				_, e := it.Element()
				parts = append(parts, e)
			}
			return t.concat(parts, sep, n)
		}
	case "Fn::Select":
		if arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 {
			idx := t.value(arg.Content[0], depth)
			list := t.value(arg.Content[1], depth)
			i, ok := t.index(idx)
			if ok && list.IsKnown() && !list.IsNull() && (list.Type().IsTupleType() || list.Type().IsListType()) && i < list.LengthInt() {
				return list.Index(cty.NumberIntVal(int64(i)))
			}
			return t.unknown("Fn::Select of a value unknown until deploy", n)
		}
	case "Fn::Split":
		if arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 {
			sep := t.str(t.value(arg.Content[0], depth))
			s := t.value(arg.Content[1], depth)
			if s.IsKnown() && !s.IsNull() && s.Type() == cty.String && sep != "" {
				var elems []cty.Value
				for _, p := range strings.Split(s.AsString(), sep) {
					elems = append(elems, cty.StringVal(p))
				}
				return cty.TupleVal(elems)
			}
			return t.unknown("Fn::Split of a value unknown until deploy", n)
		}
	case "Fn::If":
		if arg.Kind == yaml.SequenceNode && len(arg.Content) == 3 {
			c, known := t.condition(arg.Content[0].Value, arg.Content[0], depth)
			if !known {
				return t.unknown("condition "+arg.Content[0].Value+" depends on a value unknown until deploy", n)
			}
			if c {
				return t.value(arg.Content[1], depth)
			}
			return t.value(arg.Content[2], depth)
		}
	case "Fn::FindInMap":
		if arg.Kind == yaml.SequenceNode && len(arg.Content) >= 3 {
			keys := make([]string, 3)
			for i := 0; i < 3; i++ {
				v := t.value(arg.Content[i], depth)
				if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
					return t.unknown("Fn::FindInMap with a key unknown until deploy", n)
				}
				keys[i] = v.AsString()
			}
			if v := get(get(get(t.mappings, keys[0]), keys[1]), keys[2]); v != nil {
				return t.value(v, depth)
			}
			return t.unknown(fmt.Sprintf("mapping %s has no %s/%s", keys[0], keys[1], keys[2]), n)
		}
	case "Fn::ImportValue":
		name := t.value(arg, depth)
		if s, ok := textOf(name); ok {
			// Symbols must not hold ':' or '/': they stand inside ARNs,
			// which are split at those.
			text := "ImportValue." + strings.NewReplacer(":", ".", "/", ".").Replace(s)
			t.outside = append(t.outside, inventory.UnknownOutside{Address: "ImportValue " + s, Span: loc.At(t.path, n.Line),
				Reason: "exported by another stack; known only at deploy time, written <" + text + "> wherever it is used"})
			return t.symbol(text, "imported from the export "+s+" of another stack", n)
		}
		return t.unknown("imported from another stack", n)
	case "Fn::Base64", "Fn::GetAZs", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString", "Fn::Transform":
		return t.unknown(fn+" is evaluated at deploy time", n)
	case "Condition", "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or":
		c, known := t.condNode(n, depth)
		if !known {
			return cty.UnknownVal(cty.Bool)
		}
		return cty.BoolVal(c)
	}
	if !knownFunctions[fn] {
		t.warn(n, "Unsupported intrinsic function", fmt.Sprintf("%s is not evaluated; the value is unknown", fn))
		return t.unknown(fn+" is not evaluated", n)
	}
	t.diag(n, "Invalid intrinsic function", fmt.Sprintf("%s has an argument of the wrong shape", fn))
	return t.unknown(fn+" could not be evaluated", n)
}

// knownFunctions are the intrinsics call evaluates; a malformed call to
// one of them is an error, any other function is only not evaluated.
var knownFunctions = map[string]bool{"Ref": true, "Fn::GetAtt": true, "Fn::Sub": true, "Fn::Join": true, "Fn::Select": true,
	"Fn::Split": true, "Fn::If": true, "Fn::FindInMap": true, "Fn::ImportValue": true}

func (t *template) unknown(why string, n *yaml.Node) cty.Value {
	return reason.Unknown(cty.DynamicPseudoType, why, t.rng(n))
}

func (t *template) index(v cty.Value) (int, bool) {
	if !v.IsKnown() || v.IsNull() {
		return 0, false
	}
	switch v.Type() {
	case cty.Number:
		i, _ := v.AsBigFloat().Int64()
		return int(i), i >= 0
	case cty.String:
		i, err := strconv.Atoi(v.AsString())
		return i, err == nil && i >= 0
	}
	return 0, false
}

func (t *template) str(v cty.Value) string {
	s, _ := textOf(v)
	return s
}

// textOf is the text of a known string (or number) or of a symbol.
func textOf(v cty.Value) (string, bool) {
	if v == cty.NilVal {
		return "", false
	}
	u, _ := v.Unmark()
	if u.IsKnown() && !u.IsNull() && u.Type() == cty.Number {
		return u.AsBigFloat().Text('f', -1), true
	}
	if u.IsKnown() && !u.IsNull() && u.Type() == cty.Bool {
		return strconv.FormatBool(u.True()), true
	}
	s, _, ok := reason.Text(v)
	return s, ok
}

// concat joins parts with sep; unknown parts keep the result symbolic when
// each has a symbol, else it is a plain unknown.
func (t *template) concat(parts []cty.Value, sep string, n *yaml.Node) cty.Value {
	var b strings.Builder
	symbolic := false
	for i, p := range parts {
		if i > 0 {
			b.WriteString(sep)
		}
		u, _ := p.Unmark()
		if !u.IsKnown() {
			s, ok := reason.SymbolOf(p)
			if !ok {
				return t.unknown("built from a value unknown until deploy", n)
			}
			symbolic = true
			b.WriteString(s)
			continue
		}
		s, ok := textOf(p)
		if !ok {
			return t.unknown("built from a value that is not text", n)
		}
		b.WriteString(s)
	}
	if b.Len() > reason.MaxSymbolLen {
		return t.unknown("value too long", n)
	}
	if !symbolic {
		return cty.StringVal(b.String())
	}
	return reason.WithSymbol(reason.Unknown(cty.String, "built from values known only at deploy time", t.rng(n)), b.String())
}

// sub evaluates Fn::Sub text: ${Name}, ${Res.Attr}, ${!Literal}.
func (t *template) sub(s string, vars map[string]cty.Value, n *yaml.Node, depth int) cty.Value {
	var parts []cty.Value
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			parts = append(parts, cty.StringVal(s))
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			parts = append(parts, cty.StringVal(s))
			break
		}
		parts = append(parts, cty.StringVal(s[:i]))
		name := strings.TrimSpace(s[i+2 : i+j])
		switch {
		case strings.HasPrefix(name, "!"):
			parts = append(parts, cty.StringVal("${"+name[1:]+"}"))
		case vars[name] != cty.NilVal:
			parts = append(parts, vars[name])
		case strings.Contains(name, ".") && !strings.HasPrefix(name, "AWS::"):
			id, attr, _ := strings.Cut(name, ".")
			parts = append(parts, t.getAtt(id, attr, n, depth))
		default:
			parts = append(parts, t.ref(name, n, depth))
		}
		s = s[i+j+1:]
	}
	return t.concat(parts, "", n)
}

// ref resolves Ref: a pseudo parameter, a parameter or a resource.
func (t *template) ref(name string, n *yaml.Node, depth int) cty.Value {
	switch name {
	case "AWS::Region":
		return cty.StringVal(t.region)
	case "AWS::AccountId":
		return cty.StringVal(t.account)
	case "AWS::Partition":
		return cty.StringVal(t.partition)
	case "AWS::URLSuffix":
		if t.partition == "aws-cn" {
			return cty.StringVal("amazonaws.com.cn")
		}
		return cty.StringVal("amazonaws.com")
	case "AWS::StackName":
		if t.opts.StackName != "" {
			return cty.StringVal(t.opts.StackName)
		}
		return t.symbol("AWS.StackName", "the stack name is chosen at deploy time", n)
	case "AWS::StackId":
		return t.symbol("AWS.StackId", "the stack id is assigned at deploy time", n)
	case "AWS::NoValue":
		return cty.NullVal(cty.DynamicPseudoType).Mark(noValueMark{})
	case "AWS::NotificationARNs":
		return t.unknown("the stack's notification ARNs are set at deploy time", n)
	}
	if v, ok := t.params[name]; ok {
		return v
	}
	if r := t.resources[name]; r != nil {
		return t.resourceRef(r, depth)
	}
	if v, ok := t.generatedRef(name, "", depth); ok {
		return v
	}
	t.diag(n, "Unresolved reference", fmt.Sprintf("Ref %s names no parameter or resource of the template", name))
	return t.unknown("Ref "+name+" names nothing in the template", n)
}

// condition evaluates a named condition; known is false when it depends
// on something unknown.
func (t *template) condition(name string, at *yaml.Node, depth int) (val, known bool) {
	if c, ok := t.condCache[name]; ok {
		return c.val, c.known
	}
	if depth > maxDepth {
		return false, false
	}
	t.condCache[name] = condResult{} // a cycle reads as unknown
	node := get(t.conditions, name)
	if node == nil {
		t.diag(at, "Unknown condition", "condition "+name+" is not defined in Conditions")
		return false, false
	}
	v, k := t.condNode(node, depth+1)
	t.condCache[name] = condResult{v, k}
	return v, k
}

type condResult struct{ val, known bool }

func (t *template) condNode(n *yaml.Node, depth int) (bool, bool) {
	fn, arg, ok := intrinsic(deref(n))
	if !ok || depth > maxDepth {
		v := t.value(n, depth)
		if v.IsKnown() && !v.IsNull() && v.Type() == cty.Bool {
			return v.True(), true
		}
		return false, false
	}
	switch fn {
	case "Condition":
		return t.condition(arg.Value, arg, depth+1)
	case "Fn::Equals":
		if len(arg.Content) != 2 {
			return false, false
		}
		a, b := t.value(arg.Content[0], depth), t.value(arg.Content[1], depth)
		as, aok := textOf(a)
		bs, bok := textOf(b)
		if !aok || !bok || !a.IsKnown() || !b.IsKnown() {
			return false, false
		}
		return as == bs, true
	case "Fn::Not":
		if len(arg.Content) != 1 {
			return false, false
		}
		v, k := t.condNode(arg.Content[0], depth+1)
		return !v, k
	case "Fn::And", "Fn::Or":
		and := fn == "Fn::And"
		allKnown := true
		for _, c := range arg.Content {
			v, k := t.condNode(c, depth+1)
			if k && v != and {
				return !and, true
			}
			allKnown = allKnown && k
		}
		return and, allKnown
	}
	return false, false
}
