package eval

import (
	"context"
	"strings"
	"testing"
)

// A TF_VAR_ value nested deeper than the parser can recurse (a CI
// configuration the change edits may set it) is a diagnostic, not a crash.
func TestDeeplyNestedVariableValuesAreRefused(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": "variable \"x\" {\n  type = list(string)\n}\n"})
	deep := strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	res, err := Evaluate(context.Background(), Options{Dir: dir, Env: []string{"TF_VAR_x=" + deep}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range res.Diags {
		found = found || strings.Contains(d.Detail, "nesting limit")
	}
	if !found {
		t.Fatalf("diagnostics %v, want the nesting limit", res.Diags)
	}
}
