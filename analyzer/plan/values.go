package plan

import (
	"encoding/json"
	"math/big"
	"sort"

	"github.com/zclconf/go-cty/cty"
)

// toCty converts a decoded JSON value as Terraform's JSON output writes
// attribute values: objects and maps as objects, lists, sets and nested
// blocks as tuples, which is how the HCL evaluator presents them too.
func toCty(v any) cty.Value {
	switch x := v.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType)
	case string:
		return cty.StringVal(x)
	case bool:
		return cty.BoolVal(x)
	case float64:
		return cty.NumberFloatVal(x)
	case json.Number:
		if f, ok := new(big.Float).SetString(string(x)); ok {
			return cty.NumberVal(f)
		}
		return cty.StringVal(string(x))
	case []any:
		if len(x) == 0 {
			return cty.EmptyTupleVal
		}
		elems := make([]cty.Value, len(x))
		for i, e := range x {
			elems[i] = toCty(e)
		}
		return cty.TupleVal(elems)
	case map[string]any:
		if len(x) == 0 {
			return cty.EmptyObjectVal
		}
		attrs := make(map[string]cty.Value, len(x))
		for k, e := range x {
			attrs[k] = toCty(e)
		}
		return cty.ObjectVal(attrs)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

func sortStrings(s []string) { sort.Strings(s) }
