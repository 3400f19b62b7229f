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

// WholeInput is e judging the whole input, as if a rule of the user's were
// loaded: the reference the built-in rules' projection is tested against.
func (e *Engine) WholeInput() *Engine {
	c := *e
	c.fields = nil
	return &c
}

// ProjectedValue is the input as e's rules receive it.
func (e *Engine) ProjectedValue(in Input) (ast.Value, error) { return in.value(e.fields) }

// Fields are the struct members e converts (nil: all).
func (e *Engine) Fields() map[string]bool { return e.fields }
