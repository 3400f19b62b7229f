package rules_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/policies"
	"github.com/lambdacheck/lambdacheck/simulator"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

const fixturesDir = "../../fixtures"

// fixtureDay pins date-dependent rules (runtime deprecation) so goldens do
// not change with the calendar: the reference data's snapshot day.
var fixtureDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// expected are the rules each fixture is built to raise (fixtures/README.md);
// fixtures not listed are clean: no finding at high or above.
var expected = map[string][]string{
	"broken-triggers": {"broken-trigger", "missing-poll-permissions", "missing-destination-permissions", "permission-wrong-qualifier"},
	"public-exposure": {"public-invoke", "function-url-without-auth", "cross-account-invoke", "service-invoke-without-source-pin", "public-entry-reaches-data-write"},
	"risky-roles":     {"admin-or-wildcard-role", "privilege-escalation-actions", "role-trust-too-wide", "cross-account-egress", "secret-in-environment", "deprecated-runtime"},
	"recursive-loop":  {"recursive-loop"},
}

type fixtureRun struct {
	inv   *inventory.Inventory
	flows []flow.Flow
	facts *flow.Facts
}

func simulateFixture(tb testing.TB, dir string) fixtureRun {
	tb.Helper()
	ctx := context.Background()
	inv, err := terraform.Load(ctx, dir, terraform.Options{Catalog: awsref.Default(), Account: "123456789012", Region: "eu-west-1"})
	if err != nil {
		tb.Fatal(err)
	}
	res, err := simulator.Simulate(ctx, inv, simulator.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return fixtureRun{inv: inv, flows: res.Flows, facts: res.Facts}
}

func builtinEngine(tb testing.TB) *rules.Engine {
	tb.Helper()
	e, err := rules.Load(context.Background(), rules.Options{Builtin: policies.FS, BuiltinPrefix: "policies"})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// goldenFinding is what a fixture golden records of each finding.
type goldenFinding struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Address  string   `json:"address"`
	Where    string   `json:"where"`
	Message  string   `json:"message"`
	Flows    []string `json:"flows,omitempty"`
	Waived   string   `json:"waived,omitempty"`
}

// TestFixtureFindings runs the built-in rules over every fixture app and
// compares the findings with testdata/fixtures/APP.json
// (go test ./analyzer/rules -run FixtureFindings -update rewrites them).
// The broken and dangerous fixtures must raise the rules they were built
// for; the clean ones nothing at high or above.
func TestFixtureFindings(t *testing.T) {
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Skipf("no fixtures: %v", err)
	}
	e := builtinEngine(t)
	seen := 0
	for _, ent := range entries {
		dir := filepath.Join(fixturesDir, ent.Name())
		if m, _ := filepath.Glob(filepath.Join(dir, "*.tf")); !ent.IsDir() || len(m) == 0 {
			continue
		}
		seen++
		app := ent.Name()
		t.Run(app, func(t *testing.T) {
			run := simulateFixture(t, dir)
			fs, err := e.Evaluate(context.Background(), rules.Input{Inventory: run.inv, Flows: run.flows, Facts: run.facts, Today: fixtureDay})
			if err != nil {
				t.Fatal(err)
			}
			rules.ApplyInline(fs, run.inv.Waivers)
			got := make([]goldenFinding, 0, len(fs))
			raised := map[string]bool{}
			for _, f := range fs {
				g := goldenFinding{Rule: f.Rule + " " + f.ShortCode, Severity: string(f.Severity), Address: f.Address, Where: f.Location(), Message: f.Message, Flows: f.Flows}
				if f.Suppressed != nil {
					g.Waived = f.Suppressed.Kind + ": " + f.Suppressed.Reason
				} else {
					raised[f.ShortCode] = true
				}
				got = append(got, g)
				if f.File == "" || f.Line == 0 {
					t.Errorf("%s finding on %s has no file:line", f.Rule, f.Address)
				}
			}
			if want, dangerous := expected[app]; dangerous {
				for _, code := range want {
					if !raised[code] {
						t.Errorf("%s must raise %s", app, code)
					}
				}
			} else if failing := rules.Failing(fs, mustThreshold(t, "high")); len(failing) > 0 {
				t.Errorf("clean fixture %s has %d finding(s) at high or above, first: %s %s", app, len(failing), failing[0].Rule, failing[0].Message)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(got); err != nil {
				t.Fatal(err)
			}
			data := buf.Bytes()
			path := filepath.Join("testdata", "fixtures", app+".json")
			if updateGolden() {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./analyzer/rules -run FixtureFindings -update creates it)", err)
			}
			if !bytes.Equal(data, want) {
				t.Errorf("findings of %s differ from %s (review, then -update):\n%s", app, path, data)
			}
		})
	}
	if seen < 8 {
		t.Errorf("only %d fixture apps found", seen)
	}
	for app := range expected {
		if _, err := os.Stat(filepath.Join(fixturesDir, app)); err != nil {
			t.Errorf("expected fixture %s is missing", app)
		}
	}
}

func mustThreshold(t *testing.T, s string) rules.Threshold {
	t.Helper()
	th, err := rules.ParseThreshold(s)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// TestBuiltinRuleTests runs the Rego unit tests of the built-in rules, as
// `lambdacheck rules test` does, so `make test` covers them.
func TestBuiltinRuleTests(t *testing.T) {
	mods, err := rules.ReadModules(rules.Options{Builtin: policies.FS, BuiltinPrefix: "policies"}, true)
	if err != nil {
		t.Fatal(err)
	}
	res, err := rules.RunTests(context.Background(), mods, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) == 0 {
		t.Fatal("no Rego tests in policies/")
	}
	for _, r := range res {
		if !r.Pass {
			t.Errorf("%s:%d %s.%s: %s", r.File, r.Line, r.Package, r.Name, r.Error)
		}
	}
	// Every rule has tests in its own package's _test.rego.
	e := builtinEngine(t)
	for _, rule := range e.Rules() {
		pkg := rule.Package[len("data."):]
		if !slices.ContainsFunc(res, func(r rules.TestResult) bool { return r.Package == pkg || r.Package == pkg+"_test" }) {
			t.Errorf("rule %s (%s) has no Rego tests", rule.ID, pkg)
		}
	}
}

// TestInputConversionMatchesJSON checks the direct Go → Rego conversion
// against the JSON round trip it replaces, on every fixture app.
func TestInputConversionMatchesJSON(t *testing.T) {
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Skipf("no fixtures: %v", err)
	}
	for _, ent := range entries {
		dir := filepath.Join(fixturesDir, ent.Name())
		if m, _ := filepath.Glob(filepath.Join(dir, "*.tf")); !ent.IsDir() || len(m) == 0 {
			continue
		}
		t.Run(ent.Name(), func(t *testing.T) {
			run := simulateFixture(t, dir)
			in := rules.Input{Inventory: run.inv, Flows: run.flows, Facts: run.facts, Today: fixtureDay, TrustedAccounts: []string{"444455556666"}, OrgID: "o-abc"}
			got, err := in.Value()
			if err != nil {
				t.Fatal(err)
			}
			want, err := rules.JSONValue(in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Compare(want) != 0 {
				g, w := got.String(), want.String()
				i := 0
				for i < len(g) && i < len(w) && g[i] == w[i] {
					i++
				}
				t.Errorf("conversions differ at byte %d:\n got …%s\nwant …%s", i, clip(g, i), clip(w, i))
			}
		})
	}
}

func clip(s string, i int) string {
	lo, hi := max(0, i-120), min(len(s), i+120)
	return s[lo:hi]
}

// An inventory converted ahead of time (while the flows are simulated)
// judges exactly like one converted with the flows; one converted for
// another inventory is not used.
func TestConvertedInventoryJudgesTheSame(t *testing.T) {
	run := simulateFixture(t, "../../fixtures/public-exposure")
	other := simulateFixture(t, "../../fixtures/thumbnails")
	e := builtinEngine(t)
	ctx := context.Background()
	want, err := e.Evaluate(ctx, rules.Input{Inventory: run.inv, Flows: run.flows, Facts: run.facts, Today: fixtureDay})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("the fixture raises no finding: nothing to compare")
	}
	for name, cv := range map[string]*rules.ConvertedInventory{
		"same inventory":    e.ConvertInventory(run.inv),
		"another inventory": e.ConvertInventory(other.inv),
	} {
		got, err := e.Evaluate(ctx, rules.Input{Inventory: run.inv, Flows: run.flows, Facts: run.facts, Today: fixtureDay, Converted: cv})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: findings differ from a conversion with the flows", name)
		}
	}
}
