package terraform

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

var update = flag.Bool("update", false, "rewrite golden inventories under testdata/golden")

const fixturesDir = "../../fixtures"

// fixtureApps lists the Terraform apps under fixtures/.
func fixtureApps(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Skipf("no fixtures: %v", err)
	}
	var apps []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(fixturesDir, e.Name(), "*.tf")); len(m) > 0 {
			apps = append(apps, e.Name())
		}
	}
	return apps
}

func loadFixture(t *testing.T, dir string) *inventory.Inventory {
	t.Helper()
	inv, err := Load(context.Background(), dir, Options{Catalog: awsref.Default(), Account: "123456789012", Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// TestGoldenInventories loads every fixture app and compares the snapshot
// with testdata/golden/APP.json (go test -run Golden -update rewrites them;
// review the diff by hand: ARNs, policies and triggers must be what
// Terraform and AWS would produce).
func TestGoldenInventories(t *testing.T) {
	for _, app := range fixtureApps(t) {
		t.Run(app, func(t *testing.T) {
			inv := loadFixture(t, filepath.Join(fixturesDir, app))
			inv.Source.Path = "fixtures/" + app
			var buf bytes.Buffer
			if err := inventory.Write(&buf, inv); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", app+".json")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run Golden -update)", err)
			}
			if !bytes.Equal(want, buf.Bytes()) {
				t.Errorf("inventory differs from %s; run with -update and review the diff\n%s", golden, firstDiff(string(want), buf.String()))
			}
			for _, d := range inv.Diags {
				if d.Severity == "error" {
					t.Errorf("fixture has an error diagnostic: %s:%d: %s: %s", d.File, d.Line, d.Summary, d.Detail)
				}
			}
		})
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d vs %d lines", len(al), len(bl))
}

type planModule struct {
	Resources []struct {
		Address string         `json:"address"`
		Mode    string         `json:"mode"`
		Values  map[string]any `json:"values"`
	} `json:"resources"`
	ChildModules []planModule `json:"child_modules"`
}

type planFile struct {
	PlannedValues struct {
		RootModule planModule `json:"root_module"`
	} `json:"planned_values"`
	PriorState struct {
		Values struct {
			RootModule planModule `json:"root_module"`
		} `json:"values"`
	} `json:"prior_state"`
}

func planValues(m planModule, out map[string]map[string]any) {
	for _, r := range m.Resources {
		out[r.Address] = r.Values
	}
	for _, c := range m.ChildModules {
		planValues(c, out)
	}
}

// TestResolvedValuesMatchPlan compares every value the evaluator resolves
// with the value Terraform planned for the same attribute, wherever the plan
// knows it: names, ARNs built in configuration, policy documents
// (jsonencode, heredoc, templatefile, aws_iam_policy_document rendered by
// the provider) and every other argument.
func TestResolvedValuesMatchPlan(t *testing.T) {
	dirs := []string{}
	for _, app := range fixtureApps(t) {
		dirs = append(dirs, filepath.Join(fixturesDir, app))
	}
	own, _ := filepath.Glob(filepath.Join("testdata", "plans", "*"))
	dirs = append(dirs, own...)
	for _, dir := range dirs {
		app := filepath.Base(dir)
		planPath := filepath.Join(dir, "plan.json")
		data, err := os.ReadFile(planPath)
		if err != nil {
			continue
		}
		t.Run(app, func(t *testing.T) {
			var plan planFile
			if err := json.Unmarshal(data, &plan); err != nil {
				t.Fatal(err)
			}
			want := map[string]map[string]any{}
			planValues(plan.PlannedValues.RootModule, want)
			planValues(plan.PriorState.Values.RootModule, want)
			res, err := eval.Evaluate(context.Background(), eval.Options{Dir: dir,
				Account: "123456789012", Region: "eu-west-1", Knowledge: newKnowledge(awsref.Default())})
			if err != nil {
				t.Fatal(err)
			}
			compared := 0
			found := map[string]bool{}
			for _, in := range res.Instances {
				pv, ok := want[in.Addr]
				if !ok {
					continue
				}
				found[in.Addr] = true
				compared += compareValue(t, in.Addr, in.Value, pv)
			}
			for addr := range want {
				if !found[addr] {
					t.Errorf("plan has %s, the evaluator does not", addr)
				}
			}
			if compared == 0 {
				t.Fatal("no values compared")
			}
			t.Logf("%d values match the plan", compared)
		})
	}
}

// compareValue compares the known parts of got (an evaluated object) with
// the plan's values, attribute by attribute, and returns how many leaf
// values matched.
func compareValue(t *testing.T, path string, got cty.Value, want any) int {
	t.Helper()
	u, _ := reason.Of(got)
	if got == cty.NilVal || !u.IsKnown() || u.IsNull() || want == nil {
		return 0
	}
	ty := u.Type()
	switch w := want.(type) {
	case map[string]any:
		if !(ty.IsObjectType() || ty.IsMapType()) {
			if ty.IsTupleType() || ty.IsListType() {
				// a block written attribute-style is a one-element list in the plan
				return 0
			}
			t.Errorf("%s: got %s, plan has an object", path, ty.FriendlyName())
			return 0
		}
		n := 0
		for k, wv := range w {
			if path == "" || k == "tags_all" || k == "id" {
				continue
			}
			if k == "statement" && strings.Contains(path, "aws_iam_policy_document") {
				// statement blocks hold sets of blocks, planned in hash
				// order; the rendered json is what is compared exactly
				continue
			}
			var gv cty.Value
			if ty.IsObjectType() {
				if !ty.HasAttribute(k) {
					continue
				}
				gv = u.GetAttr(k)
			} else {
				if !u.HasIndex(cty.StringVal(k)).True() {
					t.Errorf("%s.%s: missing key the plan has", path, k)
					continue
				}
				gv = u.Index(cty.StringVal(k))
			}
			n += compareValue(t, path+"."+k, gv, wv)
		}
		return n
	case []any:
		if !u.CanIterateElements() {
			if ty.IsObjectType() && len(w) == 1 {
				return compareValue(t, path+"[0]", u, w[0])
			}
			t.Errorf("%s: got %s, plan has a list", path, ty.FriendlyName())
			return 0
		}
		vals := []cty.Value{}
		for it := u.ElementIterator(); it.Next(); {
			_, e := it.Element()
			vals = append(vals, e)
		}
		if len(vals) != len(w) {
			t.Errorf("%s: %d elements, plan has %d", path, len(vals), len(w))
			return 0
		}
		if allStrings(w) {
			// Set-typed arguments (actions, identifiers …) come back
			// sorted in the plan; compare string lists as multisets.
			var g, p []string
			for i := range vals {
				if vals[i].Type() != cty.String || !vals[i].IsKnown() || vals[i].IsNull() {
					return 0
				}
				g = append(g, vals[i].AsString())
				p = append(p, w[i].(string))
			}
			sort.Strings(g)
			sort.Strings(p)
			if strings.Join(g, "\x00") != strings.Join(p, "\x00") {
				t.Errorf("%s:\n got  %q\n plan %q", path, g, p)
				return 0
			}
			return len(g)
		}
		n := 0
		for i := range vals {
			n += compareValue(t, fmt.Sprintf("%s[%d]", path, i), vals[i], w[i])
		}
		return n
	case string:
		if ty != cty.String {
			t.Errorf("%s: got %s, plan has string %q", path, ty.FriendlyName(), w)
			return 0
		}
		g := u.AsString()
		if strings.Contains(g, "<") && !strings.Contains(w, "<") {
			return 0 // a placeholder for what the plan may also know
		}
		if g != w {
			exact := strings.Contains(path, "aws_iam_policy_document") && (strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".minified_json"))
			if !exact && sameJSON(g, w) {
				// Terraform normalises JSON arguments (policies) the
				// same way AWS does; only the meaning must match.
				return 1
			}
			t.Errorf("%s:\n got  %q\n plan %q", path, g, w)
			return 0
		}
		return 1
	case float64:
		if ty != cty.Number {
			t.Errorf("%s: got %s, plan has number %v", path, ty.FriendlyName(), w)
			return 0
		}
		if u.AsBigFloat().Cmp(big.NewFloat(w)) != 0 {
			t.Errorf("%s: got %s, plan has %v", path, u.AsBigFloat().String(), w)
			return 0
		}
		return 1
	case bool:
		if ty != cty.Bool || u.True() != w {
			t.Errorf("%s: got %#v, plan has %v", path, u, w)
			return 0
		}
		return 1
	}
	return 0
}

func allStrings(w []any) bool {
	for _, x := range w {
		if _, ok := x.(string); !ok {
			return false
		}
	}
	return true
}

func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
