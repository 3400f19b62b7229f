package rules

import (
	"reflect"

	"github.com/open-policy-agent/opa/v1/ast"
)

// toValue converts any JSON-shaped Go value the slow, obvious way: the
// oracle the fuzz test holds the fast conversion to.
func toValue(x any) (ast.Value, error) {
	t, err := newConverter(nil).term(reflect.ValueOf(x))
	if err != nil {
		return nil, err
	}
	return t.Value, nil
}
