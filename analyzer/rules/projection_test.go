package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/fixtures/gen/estate"
	"github.com/lambdacheck/lambdacheck/policies"
)

// projectionDirs are applications to judge with and without the built-in
// rules' projection: every fixture, the applications scanned as CI scans
// them, and a generated estate with broad grants.
func projectionDirs(t *testing.T) []string {
	t.Helper()
	var dirs []string
	for _, parent := range []string{fixturesDir, "../../simulator/testdata/unresolved"} {
		entries, err := os.ReadDir(parent)
		if err != nil {
			t.Fatal(err)
		}
		for _, ent := range entries {
			dir := filepath.Join(parent, ent.Name())
			if m, _ := filepath.Glob(filepath.Join(dir, "*.tf")); ent.IsDir() && len(m) > 0 {
				dirs = append(dirs, dir)
			}
		}
	}
	gen := filepath.Join(t.TempDir(), "generated-broad-estate")
	if _, err := estate.Write(gen, estate.Options{Functions: 150, Broad: true, BadRate: 0.1}); err != nil {
		t.Fatal(err)
	}
	return append(dirs, gen)
}

// The built-in rules judge the members they name: their findings on the
// projected input are those on the whole input, on every application we
// have, and the projection does leave members out.
func TestBuiltinProjectionJudgesLikeTheWholeInput(t *testing.T) {
	e := builtinEngine(t)
	if e.Fields() == nil {
		t.Fatal("the built-in rules alone convert the whole input")
	}
	whole := e.WholeInput()
	total := 0
	for _, dir := range projectionDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			run := simulateFixture(t, dir)
			in := rules.Input{Inventory: run.inv, Flows: run.flows, Facts: run.facts, Today: fixtureDay, TrustedAccounts: []string{"444455556666"}, OrgID: "o-abc"}
			want, err := whole.Evaluate(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Evaluate(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("projected input: %d findings, whole input: %d; they differ", len(got), len(want))
			}
			total += len(want)
			full, err := in.Value()
			if err != nil {
				t.Fatal(err)
			}
			projected, err := e.ProjectedValue(in)
			if err != nil {
				t.Fatal(err)
			}
			if len(projected.String()) >= len(full.String()) {
				t.Errorf("the projection left nothing out (%d bytes, whole %d)", len(projected.String()), len(full.String()))
			}
		})
	}
	if total == 0 {
		t.Fatal("no application raised a finding: nothing was compared")
	}
}

// What the built-in rules' projection keeps and drops, on a real input.
func TestProjectionKeepsNamedMembersAndData(t *testing.T) {
	e := builtinEngine(t)
	run := simulateFixture(t, filepath.Join(fixturesDir, "risky-roles"))
	v, err := e.ProjectedValue(rules.Input{Inventory: run.inv, Flows: run.flows, Facts: run.facts, Today: fixtureDay})
	if err != nil {
		t.Fatal(err)
	}
	input := v.(ast.Object)
	find := func(path string) *ast.Term {
		t.Helper()
		ref := ast.MustParseRef("x." + path)
		val, err := input.Find(ref[1:])
		if err != nil {
			return nil
		}
		return ast.NewTerm(val)
	}
	for _, named := range []string{"inventory.functions[0].address", "inventory.functions[0].runtime", "flows[0].id", "flows[0].steps[0].decision", "inventory.roles[0].attached_policies"} {
		if find(named) == nil {
			t.Errorf("%s is named by a rule but missing", named)
		}
	}
	for _, unnamed := range []string{"inventory.functions[0].line", "inventory.functions[0].file", "inventory.roles[0].trust_policy", "flows[0].function.line"} {
		if find(unnamed) != nil {
			t.Errorf("%s is named by no rule but converted", unnamed)
		}
	}
}

// userRule reads a member no built-in rule names, by a key it spells at
// run time.
const userRule = `# METADATA
# title: Function has a line
# description: Every function is somewhere.
# custom:
#   id: USR001
#   short_code: has-line
#   severity: low
#   remediation: None.
package lambdacheck.rules.has_line

deny contains f if {
	some fn in input.inventory.functions
	fn[concat("", ["li", "ne"])] > 0
	f := {"message": fn.address, "address": fn.address}
}
`

// The built-in rules never look at an input object as a whole: no call
// lists its keys, walks it or serializes it, so a member they do not name
// cannot change a finding.
func TestBuiltinRulesDoNotListKeys(t *testing.T) {
	whole := map[string]bool{
		"object.keys": true, "object.remove": true, "object.filter": true, "object.union": true, "object.union_n": true,
		"walk": true, "json.marshal": true, "json.marshal_with_options": true, "yaml.marshal": true,
		"json.filter": true, "json.remove": true, "json.patch": true, "print": true, "type_name": true,
	}
	calls := func(tests bool) map[string][]string {
		mods, err := rules.ReadModules(rules.Options{Builtin: policies.FS}, tests)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := rules.ParseModules(mods)
		if err != nil {
			t.Fatal(err)
		}
		found := map[string][]string{}
		for name, m := range parsed {
			note := func(op string, row int) {
				if whole[op] {
					found[op] = append(found[op], fmt.Sprintf("%s:%d", name, row))
				}
			}
			// A call is an expression of its own or a term inside one.
			ast.WalkExprs(m, func(x *ast.Expr) bool {
				if x.IsCall() {
					note(x.Operator().String(), x.Location.Row)
				}
				return false
			})
			ast.WalkTerms(m, func(x *ast.Term) bool {
				if c, ok := x.Value.(ast.Call); ok && len(c) > 0 {
					note(c[0].String(), x.Location.Row)
				}
				return false
			})
		}
		return found
	}
	for op, at := range calls(false) {
		t.Errorf("%s calls %s, which sees members no rule names", strings.Join(at, ", "), op)
	}
	// The rules' own tests build inputs with json.patch: the search sees
	// such calls where they are.
	if len(calls(true)["json.patch"]) == 0 {
		t.Error("no json.patch call found in the rule tests: the search finds nothing")
	}
}

// A rule of the user's may read any member: with one loaded, the input is
// converted whole.
func TestUserRulesGetTheWholeInput(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.rego"), []byte(userRule), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := rules.Load(context.Background(), rules.Options{Builtin: policies.FS, Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if e.Fields() != nil {
		t.Fatal("a user's rule is loaded, yet the input is projected")
	}
	run := simulateFixture(t, filepath.Join(fixturesDir, "thumbnails"))
	fs, err := e.Evaluate(context.Background(), rules.Input{Inventory: run.inv, Flows: run.flows, Facts: run.facts, Today: fixtureDay})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range fs {
		if f.Rule == "USR001" {
			n++
		}
	}
	if n != len(run.inv.Functions) {
		t.Fatalf("the rule reading each function's line found %d of %d functions", n, len(run.inv.Functions))
	}
	// The built-in rules given again as a directory are the same sources:
	// the projection stays.
	e, err = rules.Load(context.Background(), rules.Options{Builtin: policies.FS, Dirs: []string{"../../policies"}})
	if err != nil {
		t.Fatal(err)
	}
	if e.Fields() == nil {
		t.Fatal("the built-in rules loaded twice lost the projection")
	}
}
