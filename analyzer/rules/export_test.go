package rules

import (
	"bytes"
	"encoding/json"

	"github.com/open-policy-agent/opa/v1/ast"
)

// JSONValue builds the input through the JSON text round trip, the
// reference the direct conversion is tested against.
func JSONValue(in Input) (ast.Value, error) {
	data, err := json.Marshal(in.doc())
	if err != nil {
		return nil, err
	}
	v, err := ast.ValueFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	rt, err := runtimesValue()
	if err != nil {
		return nil, err
	}
	obj := v.(ast.Object)
	obj.Insert(ast.InternedTerm("runtimes"), ast.NewTerm(rt))
	return obj, nil
}
