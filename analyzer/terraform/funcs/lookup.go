package funcs

import (
	"fmt"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// lookupFunc is Terraform's lookup: as cty's, except that the default may
// be null (lookup(var.settings, "timeout", null) is common in modules).
var lookupFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType},
		{Name: "key", Type: cty.String},
	},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) == 3 && !args[2].IsNull() {
			return stdlib.LookupFunc.ReturnType(typesOf(args))
		}
		return cty.DynamicPseudoType, nil
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		if len(args) > 3 {
			return cty.NilVal, fmt.Errorf("lookup takes at most three arguments")
		}
		if len(args) == 2 || args[2].IsNull() {
			m, key := args[0], args[1]
			if m.IsNull() || !(m.Type().IsMapType() || m.Type().IsObjectType()) {
				return stdlib.LookupFunc.Call(args)
			}
			switch {
			case m.Type().IsObjectType() && m.Type().HasAttribute(key.AsString()):
				return m.GetAttr(key.AsString()), nil
			case m.Type().IsMapType() && m.HasIndex(key).True():
				return m.Index(key), nil
			}
			if len(args) == 2 {
				return cty.NilVal, fmt.Errorf("lookup failed to find key %q", key.AsString())
			}
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		return stdlib.LookupFunc.Call(args)
	},
})

func typesOf(args []cty.Value) []cty.Type {
	ts := make([]cty.Type, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	return ts
}
