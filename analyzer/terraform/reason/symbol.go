package reason

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Symbol marks an unknown string with the text that stands for it until
// apply: "<var.prefix>-fn" for "${var.prefix}-fn" with var.prefix unset.
// A symbol is the value's identity, not a guess of it: the same
// expression gives the same text everywhere, so two references to one
// unknown name still join, while every operation that would need the
// concrete value (a comparison, a condition, lower()) stays unknown,
// because the value itself is a cty unknown.
type Symbol struct{ Text string }

// MaxSymbolLen bounds the text a symbol may grow to: symbols are built by
// concatenation, and a hostile configuration must not make them huge.
const MaxSymbolLen = 4096

// Symbolic returns an unknown of type ty that carries both why it is
// unknown and the symbol "<expr>". Only strings (and values of unknown
// type, which may be strings) read as their symbol; a collection's symbol
// names its elements ("<var.names[\"k\"]>").
func Symbolic(ty cty.Type, expr, why string, rng hcl.Range) cty.Value {
	return Unknown(ty, why, rng).Mark(Symbol{Text: "<" + expr + ">"})
}

// SymbolOf returns the symbol text of v: an unknown string (or unknown of
// unknown type) carrying exactly one Symbol mark.
func SymbolOf(v cty.Value) (string, bool) {
	if v == cty.NilVal {
		return "", false
	}
	if u, _ := v.Unmark(); !(u.Type() == cty.String || u.Type() == cty.DynamicPseudoType) {
		return "", false
	}
	return SymbolName(v)
}

// SymbolName is SymbolOf for an unknown of any type.
func SymbolName(v cty.Value) (string, bool) {
	if v == cty.NilVal {
		return "", false
	}
	u, marks := v.Unmark()
	if u.IsKnown() {
		return "", false
	}
	text, n := "", 0
	for m := range marks {
		if s, ok := m.(Symbol); ok {
			text = s.Text
			n++
		}
	}
	return text, n == 1
}

// Text returns the text of a string value: its value when known, its
// symbol when symbolic. symbolic tells which.
func Text(v cty.Value) (text string, symbolic, ok bool) {
	if v == cty.NilVal {
		return "", false, false
	}
	u, _ := v.Unmark()
	if u.IsKnown() {
		if u.IsNull() || u.Type() != cty.String {
			return "", false, false
		}
		return u.AsString(), false, true
	}
	s, ok := SymbolOf(v)
	return s, true, ok
}

// IsBare reports whether s is one symbol and nothing else: "<X>".
func IsBare(s string) bool {
	return len(s) > 2 && s[0] == '<' && s[len(s)-1] == '>' && strings.Count(s, "<") == 1 && strings.Count(s, ">") == 1
}

// WithSymbol returns v (an unknown) marked with the symbol text, replacing
// any symbol it had. Text longer than MaxSymbolLen gives no symbol.
func WithSymbol(v cty.Value, text string) cty.Value {
	v = StripSymbols(v)
	if len(text) > MaxSymbolLen {
		return v
	}
	return v.Mark(Symbol{Text: text})
}

// StripSymbols removes every Symbol mark inside v, keeping other marks.
// Marks propagate through operations, so after an operation that is not a
// plain copy a symbol would name the wrong value; the evaluator strips
// them and attaches new ones only where it can derive them.
func StripSymbols(v cty.Value) cty.Value {
	if v == cty.NilVal || !v.ContainsMarked() {
		return v
	}
	u, pvm := v.UnmarkDeepWithPaths()
	kept := pvm[:0]
	for _, pm := range pvm {
		marks := cty.ValueMarks{}
		for m := range pm.Marks {
			if _, ok := m.(Symbol); !ok {
				marks[m] = struct{}{}
			}
		}
		if len(marks) > 0 {
			kept = append(kept, cty.PathValueMarks{Path: pm.Path, Marks: marks})
		}
	}
	return u.MarkWithPaths(kept)
}

// Concretize returns v with every symbolic unknown replaced by its symbol
// text and every mark removed, or false when some unknown inside v has no
// symbol (then no text can stand for v).
func Concretize(v cty.Value) (cty.Value, bool) {
	u, _ := v.Unmark()
	if !u.IsKnown() {
		s, ok := SymbolOf(v)
		if !ok {
			return cty.NilVal, false
		}
		return cty.StringVal(s), true
	}
	if u.IsNull() || !u.ContainsMarked() && u.IsWhollyKnown() {
		out, _ := u.UnmarkDeep()
		return out, true
	}
	ty := u.Type()
	switch {
	case ty.IsObjectType() || ty.IsMapType():
		attrs := map[string]cty.Value{}
		for it := u.ElementIterator(); it.Next(); {
			k, e := it.Element()
			c, ok := Concretize(e)
			if !ok {
				return cty.NilVal, false
			}
			attrs[k.AsString()] = c
		}
		if ty.IsMapType() {
			if m, ok := mapOf(attrs); ok {
				return m, true
			}
		}
		return cty.ObjectVal(attrs), true
	case ty.IsTupleType() || ty.IsListType() || ty.IsSetType():
		var elems []cty.Value
		for it := u.ElementIterator(); it.Next(); {
			_, e := it.Element()
			c, ok := Concretize(e)
			if !ok {
				return cty.NilVal, false
			}
			elems = append(elems, c)
		}
		if len(elems) == 0 {
			out, _ := u.UnmarkDeep()
			return out, true
		}
		if !ty.IsTupleType() && sameType(elems) {
			if ty.IsSetType() {
				return cty.SetVal(elems), true
			}
			return cty.ListVal(elems), true
		}
		return cty.TupleVal(elems), true
	}
	out, _ := u.UnmarkDeep()
	return out, true
}

func sameType(vs []cty.Value) bool {
	for _, v := range vs[1:] {
		if !v.Type().Equals(vs[0].Type()) {
			return false
		}
	}
	return true
}

func mapOf(attrs map[string]cty.Value) (cty.Value, bool) {
	if len(attrs) == 0 {
		return cty.NilVal, false
	}
	var vs []cty.Value
	for _, v := range attrs {
		vs = append(vs, v)
	}
	if !sameType(vs) {
		return cty.NilVal, false
	}
	return cty.MapVal(attrs), true
}

// Attach returns v with a symbol on each unknown string inside it for
// which sv, the same value with symbols in place of unknowns (as
// Concretize gives it), has text. v is returned unchanged where the
// shapes differ.
func Attach(v, sv cty.Value) cty.Value {
	if v == cty.NilVal || sv == cty.NilVal || !sv.IsKnown() || sv.IsNull() {
		return v
	}
	u, marks := v.Unmark()
	if !u.IsKnown() {
		if sv.Type() == cty.String && (u.Type() == cty.String || u.Type() == cty.DynamicPseudoType) {
			return WithSymbol(v, sv.AsString())
		}
		return v
	}
	if u.IsNull() || u.IsWhollyKnown() {
		return v
	}
	ty, sty := u.Type(), sv.Type()
	switch {
	case (ty.IsObjectType() || ty.IsMapType()) && (sty.IsObjectType() || sty.IsMapType()):
		attrs := map[string]cty.Value{}
		for it := u.ElementIterator(); it.Next(); {
			k, e := it.Element()
			key := k.AsString()
			if s, ok := index(sv, key); ok {
				e = Attach(e, s)
			}
			attrs[key] = e
		}
		var out cty.Value
		if ty.IsMapType() {
			if len(attrs) == 0 {
				return v
			}
			out = cty.MapVal(attrs)
		} else {
			out = cty.ObjectVal(attrs)
		}
		return out.WithMarks(marks)
	case (ty.IsTupleType() || ty.IsListType()) && (sty.IsTupleType() || sty.IsListType()):
		if u.LengthInt() != sv.LengthInt() {
			return v
		}
		var elems []cty.Value
		i := 0
		for it := u.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			elems = append(elems, Attach(e, sv.Index(cty.NumberIntVal(int64(i)))))
		}
		if len(elems) == 0 {
			return v
		}
		if ty.IsListType() {
			return cty.ListVal(elems).WithMarks(marks)
		}
		return cty.TupleVal(elems).WithMarks(marks)
	}
	return v
}

func index(v cty.Value, key string) (cty.Value, bool) {
	ty := v.Type()
	if ty.IsObjectType() {
		if !ty.HasAttribute(key) {
			return cty.NilVal, false
		}
		return v.GetAttr(key), true
	}
	if ty.IsMapType() {
		k := cty.StringVal(key)
		if !v.HasIndex(k).True() {
			return cty.NilVal, false
		}
		return v.Index(k), true
	}
	return cty.NilVal, false
}
