package eval

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

type expansion int

const (
	single expansion = iota
	byCount
	byForEach
)

type instanceKey struct {
	key    cty.Value // NilVal, number or string
	value  cty.Value // each.value
	suffix string    // address suffix: "", [0], ["a"]
}

// expand evaluates count or for_each as Terraform does. An expansion that
// can not be decided (unknown, wrong type) is an error, as in Terraform's
// plan, and yields no instances.
func (e *evaluator) expand(count, forEach hcl.Expression, sc *scope, addr string) ([]instanceKey, expansion) {
	switch {
	case count != nil:
		v, diags := e.exprValue(count, sc)
		if diags.HasErrors() {
			return nil, byCount
		}
		v, reasons := reason.Of(v)
		if !v.IsKnown() {
			e.notExpanded("count", addr, reasons, count.Range())
			return nil, byCount
		}
		if v.IsNull() || v.Type() != cty.Number {
			if s, ok := stringNumber(v); ok {
				v = s
			} else {
				e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid count argument",
					Detail: "The given \"count\" argument value is unsuitable: a whole number is required.", Subject: count.Range().Ptr()})
				return nil, byCount
			}
		}
		bf := v.AsBigFloat()
		n, acc := bf.Int64()
		if acc != big.Exact || n < 0 || n > MaxInstances {
			e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid count argument",
				Detail: fmt.Sprintf("The given \"count\" argument value is unsuitable: must be a whole number between 0 and %d.", MaxInstances), Subject: count.Range().Ptr()})
			return nil, byCount
		}
		keys := make([]instanceKey, n)
		for i := range keys {
			keys[i] = instanceKey{key: cty.NumberIntVal(int64(i)), suffix: "[" + strconv.Itoa(i) + "]"}
		}
		return keys, byCount
	case forEach != nil:
		v, diags := e.exprValue(forEach, sc)
		if diags.HasErrors() {
			return nil, byForEach
		}
		marked := v
		v, reasons := reason.Of(v)
		if !v.IsWhollyKnown() && (!v.IsKnown() || v.Type().IsSetType()) {
			e.notExpanded("for_each", addr, reasons, forEach.Range())
			return nil, byForEach
		}
		ty := v.Type()
		if v.IsNull() || !(ty.IsMapType() || ty.IsObjectType() || ty.IsSetType()) {
			e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid for_each argument",
				Detail: "The given \"for_each\" argument value is unsuitable: the \"for_each\" argument must be a map, or set of strings.", Subject: forEach.Range().Ptr()})
			return nil, byForEach
		}
		// each.value keeps the marks of its parts (reasons, symbols): only
		// the collection itself is unmarked to walk it.
		if top, _ := marked.Unmark(); !ty.IsSetType() {
			v = top
		}
		var keys []instanceKey
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			if ty.IsSetType() {
				if k.Type() != cty.String || k.IsNull() {
					e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid for_each set argument",
						Detail: "The given \"for_each\" argument value is unsuitable: \"for_each\" supports sets of strings only.", Subject: forEach.Range().Ptr()})
					return nil, byForEach
				}
				ev = k
			}
			keys = append(keys, instanceKey{key: k, value: ev, suffix: "[" + quote(k.AsString()) + "]"})
		}
		return keys, byForEach
	}
	return []instanceKey{{key: cty.NilVal}}, single
}

// notExpanded records a count or for_each that depends on values unknown
// before apply (an unset variable, an apply-time attribute). Terraform's
// plan would wait for them too; it is a warning, not an error, so the run
// goes on with everything else, and the address is listed as unknown.
func (e *evaluator) notExpanded(arg, addr string, reasons []reason.Mark, rng hcl.Range) {
	detail := fmt.Sprintf("The %q value of %s depends on values that can not be determined%s, so its instances are not known and not evaluated.", arg, addr, because(reasons))
	e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Instances not known before apply", Detail: detail, Subject: rng.Ptr()})
	e.unexpanded = append(e.unexpanded, NotExpanded{Address: addr, Reason: detail, Range: rng})
}

func stringNumber(v cty.Value) (cty.Value, bool) {
	if v.IsNull() || v.Type() != cty.String {
		return v, false
	}
	n, err := cty.ParseNumberVal(v.AsString())
	return n, err == nil
}

func because(rs []reason.Mark) string {
	if len(rs) == 0 {
		return ""
	}
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.Text)
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// quote writes a for_each key as Terraform writes it in addresses.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// aggregate builds the value a reference to an expanded object sees: the
// object itself, a tuple by count index, or an object by for_each key.
func aggregate[T any](mode expansion, items []T, kv func(T) (cty.Value, cty.Value)) cty.Value {
	switch mode {
	case byCount:
		vals := make([]cty.Value, len(items))
		for i, it := range items {
			_, vals[i] = kv(it)
		}
		return cty.TupleVal(vals)
	case byForEach:
		m := make(map[string]cty.Value, len(items))
		for _, it := range items {
			k, v := kv(it)
			m[k.AsString()] = v
		}
		return cty.ObjectVal(m)
	}
	if len(items) == 0 {
		return cty.DynamicVal
	}
	_, v := kv(items[0])
	return v
}
