package rules

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// testInventory has one function with an open URL, a deprecated runtime and
// a trigger whose invocation is denied.
func testInventory() *inventory.Inventory {
	return &inventory.Inventory{
		Schema:  1,
		Account: "123456789012",
		Functions: []inventory.Function{{
			Origin:  inventory.Origin{Address: "aws_lambda_function.api", Span: loc.At("main.tf", 10)},
			Name:    "api",
			ARN:     "arn:aws:lambda:eu-west-1:123456789012:function:api",
			Runtime: "python3.8",
			URLs: []inventory.FunctionURL{{
				Origin:   inventory.Origin{Address: "aws_lambda_function_url.api", Span: loc.At("main.tf", 30)},
				AuthType: "NONE",
			}},
		}},
		Triggers: []inventory.Trigger{{
			Origin:  inventory.Origin{Address: "aws_s3_bucket_notification.in", Span: loc.At("s3.tf", 4)},
			Kind:    "push",
			Service: "s3",
			Enabled: true,
		}},
	}
}

func testFlows() []flow.Flow {
	return []flow.Flow{{
		ID: "invoke/aws_s3_bucket_notification.in->aws_lambda_function.api", Kind: flow.KindInvoke, Decision: flow.Denied,
		Trigger: &flow.Trigger{Type: "s3", Address: "aws_s3_bucket_notification.in", Enabled: true,
			Function: flow.FunctionRef{Ref: flow.Ref{Address: "aws_lambda_function.api"}}},
	}, {
		ID: "invoke/aws_s3_bucket_notification.off->aws_lambda_function.api", Kind: flow.KindInvoke, Decision: flow.Denied,
		Trigger: &flow.Trigger{Type: "s3", Address: "aws_s3_bucket_notification.off", Enabled: false,
			Function: flow.FunctionRef{Ref: flow.Ref{Address: "aws_lambda_function.api"}}},
	}}
}

func loadTestEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := Load(context.Background(), Options{Dirs: []string{"testdata/policies"}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestLoadReadsMetadata(t *testing.T) {
	e := loadTestEngine(t)
	got := e.Rules()
	if len(got) != 3 {
		t.Fatalf("rules = %d, want 3 (the lib package has no deny): %+v", len(got), got)
	}
	want := Rule{
		ID: "TST001", ShortCode: "url-without-auth", Severity: High,
		Title:       "Function URL without authentication",
		Description: "A function URL with auth type NONE lets anyone on the internet invoke the function.",
		Remediation: `Set authorization_type = "AWS_IAM" on the aws_lambda_function_url.`,
		Related:     []string{"https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"},
		Package:     "data.lambdacheck.rules.url_without_auth",
		File:        filepath.Join("testdata/policies/url-without-auth/url-without-auth.rego"),
	}
	r, ok := ruleOf(e, "url-without-auth")
	if !ok {
		t.Fatal("rule by short code not found")
	}
	if !equalRule(r, want) {
		t.Errorf("rule =\n %+v\nwant\n %+v", r, want)
	}
	if ids := []string{got[0].ID, got[1].ID, got[2].ID}; !slices.Equal(ids, []string{"TST001", "TST002", "TST003"}) {
		t.Errorf("rules not sorted by id: %v", ids)
	}
}

func equalRule(a, b Rule) bool {
	return a.ID == b.ID && a.ShortCode == b.ShortCode && a.Severity == b.Severity && a.Title == b.Title &&
		a.Description == b.Description && a.Remediation == b.Remediation && slices.Equal(a.Related, b.Related) &&
		a.Package == b.Package && a.File == b.File && a.Builtin == b.Builtin
}

func TestEvaluateFindingsSortedAndLocated(t *testing.T) {
	e := loadTestEngine(t)
	fs, err := e.Evaluate(context.Background(), Input{Inventory: testInventory(), Flows: testFlows(), Today: today})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		rule, sev, addr, loc string
		flows                int
	}
	var got []row
	for _, f := range fs {
		got = append(got, row{f.Rule, string(f.Severity), f.Address, f.Location(), len(f.Flows)})
		if f.Fingerprint == "" || f.Title == "" || f.Remediation == "" || f.Message == "" {
			t.Errorf("finding lacks fingerprint/title/remediation/message: %+v", f)
		}
	}
	want := []row{
		// critical first; disabled trigger not flagged; file/line from the trigger's origin
		{"TST002", "critical", "aws_s3_bucket_notification.in", "s3.tf:4", 1},
		// line filled from the nested URL's origin
		{"TST001", "high", "aws_lambda_function_url.api", "main.tf:30", 0},
		// the rule's own file/line win over the inventory's
		{"TST003", "low", "aws_lambda_function.api", "explicit.tf:7", 0},
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings =\n %v\nwant\n %v", got, want)
	}
	if fs[1].Message != "function URL of api (aws_lambda_function.api) has auth type NONE" {
		t.Errorf("message = %q (helper package not applied?)", fs[1].Message)
	}
}

func TestEvaluateSettingsReachRules(t *testing.T) {
	// The deprecated-runtime rule compares input.settings.today with the
	// embedded runtime table: python3.8 was deprecated in 2024.
	e := loadTestEngine(t)
	for _, tc := range []struct {
		name  string
		today time.Time
		want  bool
	}{
		{"before_deprecation_date_is_clean", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"after_deprecation_date_is_flagged", today, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := e.Evaluate(context.Background(), Input{Inventory: testInventory(), Today: tc.today})
			if err != nil {
				t.Fatal(err)
			}
			got := slices.ContainsFunc(fs, func(f Finding) bool { return f.Rule == "TST003" })
			if got != tc.want {
				t.Errorf("TST003 raised = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBuiltinAndUserRulesTogether(t *testing.T) {
	builtin := fstest.MapFS{
		"b/b.rego": {Data: []byte(`# METADATA
# title: Built-in
# custom:
#   id: LC900
#   short_code: b
#   severity: medium
package lambdacheck.rules.b

deny contains {"message": "m", "address": "aws_lambda_function.api"} if true
`)},
		"b/b_test.rego": {Data: []byte("package lambdacheck.rules.b_test\n\nthis is not rego\n")},
	}
	e, err := Load(context.Background(), Options{Builtin: builtin, BuiltinPrefix: "policies", Dirs: []string{"testdata/policies"}})
	if err != nil {
		t.Fatalf("test files must not be compiled for evaluation: %v", err)
	}
	r, ok := ruleOf(e, "LC900")
	if !ok || !r.Builtin || r.File != "policies/b/b.rego" {
		t.Errorf("built-in rule = %+v, %v", r, ok)
	}
	if u, _ := ruleOf(e, "TST001"); u.Builtin {
		t.Error("user rule marked built-in")
	}
	fs, err := e.Evaluate(context.Background(), Input{Inventory: testInventory(), Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.Rule == "LC900" && f.Location() == "main.tf:10" }) {
		t.Errorf("built-in finding missing or unlocated: %+v", fs)
	}
}

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	meta := func(id, code, sev string) string {
		return "# METADATA\n# title: T\n# custom:\n#   id: " + id + "\n#   short_code: " + code + "\n#   severity: " + sev + "\n"
	}
	for _, tc := range []struct {
		name, file, src, want string
	}{
		{"syntax_error_names_file_and_line", "bad.rego",
			meta("U001", "bad", "high") + "package lambdacheck.rules.bad\n\ndeny contains f if {\n\tf := \n}\n",
			"bad.rego:11"},
		{"undefined_function_is_a_compile_error", "undef.rego",
			meta("U002", "undef", "high") + "package lambdacheck.rules.undef\n\ndeny contains f if {\n\tf := nosuch(input)\n}\n",
			"undef.rego:10"},
		{"rego_v0_syntax_rejected", "v0.rego",
			meta("U003", "v0", "high") + "package lambdacheck.rules.v0\n\ndeny[msg] {\n\tmsg := \"x\"\n}\n",
			"v0.rego:9"},
		{"network_builtins_unavailable", "net.rego",
			meta("U004", "net", "high") + "package lambdacheck.rules.net\n\ndeny contains f if {\n\tf := http.send({\"method\": \"get\", \"url\": \"http://x\"})\n}\n",
			"net.rego:10"},
		{"missing_metadata", "nometa.rego",
			"package lambdacheck.rules.nometa\n\ndeny contains \"x\" if true\n",
			"nometa.rego: package lambdacheck.rules.nometa has no package-scoped # METADATA"},
		{"missing_severity", "nosev.rego",
			"# METADATA\n# title: T\n# custom:\n#   id: U005\n#   short_code: nosev\npackage lambdacheck.rules.nosev\n\ndeny contains \"x\" if true\n",
			"nosev.rego:1: METADATA of lambdacheck.rules.nosev lacks custom.severity"},
		{"bad_severity", "sev.rego",
			meta("U006", "sev", "urgent") + "package lambdacheck.rules.sev\n\ndeny contains \"x\" if true\n",
			`sev.rego:1: custom.severity "urgent"`},
		{"short_code_must_match_package", "code.rego",
			meta("U007", "other-name", "low") + "package lambdacheck.rules.code\n\ndeny contains \"x\" if true\n",
			"belongs in package lambdacheck.rules.other_name"},
		{"deny_outside_rules_root", "outside.rego",
			meta("U008", "outside", "low") + "package acme.outside\n\ndeny contains \"x\" if true\n",
			"outside.rego: package acme.outside defines deny but is not directly under lambdacheck.rules"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, tc.file)
			if err := os.WriteFile(p, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(context.Background(), Options{Dirs: []string{dir}})
			if err == nil {
				t.Fatal("want an error")
			}
			if !strings.Contains(err.Error(), filepath.Join(dir, tc.want)) && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v\nwant it to contain %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %v does not name the file %s", err, p)
			}
		})
	}
}

func TestDuplicateRuleIDs(t *testing.T) {
	src := func(code string) fstest.MapFile {
		return fstest.MapFile{Data: []byte("# METADATA\n# title: T\n# custom:\n#   id: D001\n#   short_code: " + code + "\n#   severity: low\npackage lambdacheck.rules." + code + "\n\ndeny contains \"x\" if true\n")}
	}
	_, err := Load(context.Background(), Options{Builtin: fstest.MapFS{"a/a.rego": ptr(src("a")), "b/b.rego": ptr(src("b"))}})
	if err == nil || !strings.Contains(err.Error(), "rule id D001 is already used by a/a.rego") {
		t.Errorf("error = %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestStringDenyEntriesAreMessages(t *testing.T) {
	e, err := Compile(context.Background(), []Module{{Name: "s.rego", Source: []byte("# METADATA\n# title: T\n# custom:\n#   id: S001\n#   short_code: s\n#   severity: low\npackage lambdacheck.rules.s\n\ndeny contains \"plain message\" if true\n")}})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Evaluate(context.Background(), Input{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Message != "plain message" || fs[0].Address != "" {
		t.Errorf("findings = %+v", fs)
	}
}

func TestNoRulesNoFindings(t *testing.T) {
	e, err := Load(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Evaluate(context.Background(), Input{Inventory: testInventory()})
	if err != nil || fs == nil || len(fs) != 0 {
		t.Errorf("findings = %v, %v; want empty non-nil", fs, err)
	}
}

func TestRunTests(t *testing.T) {
	mods, err := ReadModules(Options{Dirs: []string{"testdata/policies"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	res, err := RunTests(context.Background(), mods, "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range res {
		names = append(names, r.Name)
		if !r.Pass {
			t.Errorf("%s.%s failed: %s", r.Package, r.Name, r.Error)
		}
	}
	if !slices.Equal(names, []string{"test_none_flagged", "test_iam_clean"}) {
		t.Errorf("tests = %v", names)
	}

	// A failing test is reported as such, with where it failed.
	mods = append(mods, Module{Name: "fail_test.rego", Source: []byte("package lambdacheck.rules.url_without_auth_test\n\ntest_wrong if {\n\tcount(data.lambdacheck.rules.url_without_auth.deny) == 5 with input as {}\n}\n")})
	res, err = RunTests(context.Background(), mods, "test_wrong")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Pass || res[0].Error == "" || res[0].File != "fail_test.rego" || res[0].Line != 3 {
		t.Errorf("filtered failing run = %+v", res)
	}
}

type inventoryURL = inventory.FunctionURL

func originAt(addr string, line int) inventory.Origin {
	return inventory.Origin{Address: addr, Span: loc.At("main.tf", line)}
}

// TestRuntimeTableInSync checks the embedded runtime table against the
// reference data it is copied from (go generate ./analyzer/rules), when
// that data is present beside the repository.
func TestRuntimeTableInSync(t *testing.T) {
	ref, err := os.ReadFile("../../../shared/data/lambda-runtimes.json")
	if err != nil {
		t.Skipf("reference data not present: %v", err)
	}
	if string(ref) != string(runtimesJSON) {
		t.Error("data/lambda-runtimes.json differs from ../shared/data/lambda-runtimes.json; run go generate ./analyzer/rules")
	}
}

// TestValueChunkedFlowsMatchJSON converts enough flows to split them into
// parallel chunks and checks order and content against the JSON round trip.
func TestValueChunkedFlowsMatchJSON(t *testing.T) {
	var flows []flow.Flow
	for i := range 9001 {
		f := testFlows()[i%2]
		f.ID = fmt.Sprintf("%s#%d", f.ID, i)
		f.Actions = []string{"s3:GetObject", fmt.Sprint(i % 7)}
		f.Steps = []flow.Step{{What: "w", Decision: flow.Allowed, Statements: []flow.Statement{{Policy: "p", Index: i % 3, Certain: true}}}}
		flows = append(flows, f)
	}
	in := Input{Inventory: testInventory(), Flows: flows, Today: today}
	got, err := in.Value()
	if err != nil {
		t.Fatal(err)
	}
	want, err := JSONValue(in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Compare(want) != 0 {
		t.Error("chunked conversion differs from the JSON round trip")
	}
}

// Rules can not reach the network, the clock, the runtime or randomness.
func TestRulesHaveNoNetworkClockOrRandomness(t *testing.T) {
	ok := "package custom.r\n\nimport rego.v1\n\nx := count([1])\n"
	if _, err := Compile(context.Background(), []Module{{Name: "r.rego", Source: []byte(ok)}}); err != nil {
		t.Fatalf("a plain rule does not compile: %v", err)
	}
	for _, call := range []string{`http.send({"method": "get", "url": "http://127.0.0.1"})`, `time.now_ns()`, `opa.runtime()`, `rand.intn("x", 10)`, `uuid.rfc4122("x")`} {
		src := "package custom.r\n\nimport rego.v1\n\nx := " + call + "\n"
		if _, err := Compile(context.Background(), []Module{{Name: "r.rego", Source: []byte(src)}}); err == nil {
			t.Errorf("%s compiled", call)
		}
	}
}

// ruleOf is the loaded rule with the given id or short code.
func ruleOf(e *Engine, idOrCode string) (Rule, bool) {
	for _, r := range e.Rules() {
		if r.ID == idOrCode || r.ShortCode == idOrCode {
			return r, true
		}
	}
	return Rule{}, false
}
