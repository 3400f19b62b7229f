package rules

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Equal statements (one policy statement deciding many flows) convert to
// one shared term; statements that differ anywhere, even only in a nil
// against an empty list of conditions, do not.
func TestEqualStatementsShareOneTerm(t *testing.T) {
	st := func(conds []string, line int) flow.Statement {
		return flow.Statement{Policy: "role", Layer: "identity", Sid: "S", Effect: "Allow", Span: loc.At("main.tf", line), Certain: true, Conditions: conds}
	}
	c := newConverter(nil)
	conv := func(s flow.Statement) any {
		term, err := c.term(reflect.ValueOf(s))
		if err != nil {
			t.Fatal(err)
		}
		return term
	}
	a, b := conv(st([]string{"x is y"}, 3)), conv(st([]string{"x is y"}, 3))
	if a != b {
		t.Error("equal statements converted to two terms")
	}
	for _, other := range []flow.Statement{st([]string{"x is z"}, 3), st([]string{"x is y"}, 4), st(nil, 3), st([]string{}, 3), st([]string{"x is y", ""}, 3)} {
		if conv(other) == a {
			t.Errorf("%+v shares the term of a different statement", other)
		}
	}
	if conv(st(nil, 3)) == conv(st([]string{}, 3)) {
		t.Error("a nil and an empty list of conditions share a term")
	}
}

// A projection keeps the struct members it names, at any depth; a map's
// keys and an embedded JSON document are data, kept whole wherever the
// member holding them is kept.
func TestProjectionKeepsNamedMembersOnly(t *testing.T) {
	type inner struct {
		Name string `json:"name"`
		Line int    `json:"line"`
	}
	type outer struct {
		Name     string            `json:"name"`
		Line     int               `json:"line"`
		Tags     map[string]string `json:"tags"`
		ByKey    map[string]inner  `json:"by_key"`
		Document json.RawMessage   `json:"document"`
		Items    []inner           `json:"items"`
		Hidden   []inner           `json:"hidden"`
	}
	v := outer{Name: "a", Line: 3, Tags: map[string]string{"line": "x", "owner": "y"},
		ByKey: map[string]inner{"k": {Name: "n", Line: 4}}, Document: json.RawMessage(`{"Statement":[],"line":1}`),
		Items: []inner{{Name: "i", Line: 5}}, Hidden: []inner{{Name: "h"}}}
	term, err := newConverter(map[string]bool{"name": true, "tags": true, "by_key": true, "document": true, "items": true}).term(reflect.ValueOf(v))
	if err != nil {
		t.Fatal(err)
	}
	want := ast.MustParseTerm(`{"name": "a", "tags": {"line": "x", "owner": "y"}, "by_key": {"k": {"name": "n"}},
		"document": {"Statement": [], "line": 1}, "items": [{"name": "i"}]}`)
	if term.Value.Compare(want.Value) != 0 {
		t.Errorf("projected to %v, want %v", term, want)
	}
}
