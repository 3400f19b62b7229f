package rules

import (
	"reflect"
	"testing"

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
	c := newConverter()
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
