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

// A template file nested too deep is named with the nesting error: the
// error quotes nothing of the file, so hiding file content lets it through.
func TestDeeplyNestedTemplateFilesSayWhy(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"t.tpl":   "${" + strings.Repeat("(", 200000) + "x" + strings.Repeat(")", 200000) + "}",
		"main.tf": "locals {\n  x = templatefile(\"t.tpl\", { x = 1 })\n}\nresource \"aws_sqs_queue\" \"q\" {\n  name = local.x\n}\n",
	})
	res, err := Evaluate(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range res.Diags {
		found = found || (strings.Contains(d.Detail, "t.tpl:1") && strings.Contains(d.Detail, "nesting limit"))
	}
	if !found {
		t.Fatalf("diagnostics %v, want the nesting limit at t.tpl:1", res.Diags)
	}
}
