package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/rules"
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

const testDay = "2026-11-25"

func TestRulesListsBuiltins(t *testing.T) {
	out, _, code := runCLI(t, "", "rules", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var list []rules.Rule
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range list {
		ids[r.ID] = true
		if !r.Builtin || r.Title == "" || r.Severity.Rank() == 0 || !strings.HasPrefix(r.File, "policies/") {
			t.Errorf("rule %+v", r)
		}
	}
	for _, id := range []string{"LC001", "LC004", "LC005", "LC013"} {
		if !ids[id] {
			t.Errorf("built-in %s missing", id)
		}
	}
	table, _, _ := runCLI(t, "", "rules")
	if !strings.Contains(table, "LC001 │ high") {
		t.Errorf("table:\n%s", table)
	}
}

func TestRulesWithUserPolicy(t *testing.T) {
	out, _, code := runCLI(t, "", "rules", "--policy", "../../analyzer/rules/testdata/policies")
	if code != 0 || !strings.Contains(out, "TST001") || !strings.Contains(out, "testdata/policies/url-without-auth/url-without-auth.rego") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestRuleCompileErrorExitsTwoWithFileAndLine(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.rego")
	writeFile(t, bad, "# METADATA\n# title: T\n# custom:\n#   id: X001\n#   short_code: bad\n#   severity: high\npackage lambdacheck.rules.bad\n\ndeny contains f if {\n\tf := undefined_fn(1)\n}\n")
	for _, args := range [][]string{
		{"rules", "--policy", dir},
		{"simulate", "../../fixtures/thumbnails", "--policy", dir},
	} {
		_, stderr, code := runCLI(t, "", args...)
		if code != 2 || !strings.Contains(stderr, bad+":10") {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %s:10", args, code, stderr, bad)
		}
	}
}

func TestRulesTest(t *testing.T) {
	out, _, code := runCLI(t, "", "rules", "test")
	if code != 0 || !strings.Contains(out, " passed, 0 failed") {
		t.Errorf("built-in rule tests: exit %d\n%s", code, out)
	}
	out, _, code = runCLI(t, "", "rules", "test", "../../analyzer/rules/testdata/policies", "-v")
	if code != 0 || !strings.Contains(out, "PASS  lambdacheck.rules.url_without_auth_test.test_none_flagged") || !strings.Contains(out, "2 passed, 0 failed") {
		t.Errorf("user rule tests: exit %d\n%s", code, out)
	}
	// A custom rule's test may use the built-in helpers.
	lib := t.TempDir()
	writeFile(t, filepath.Join(lib, "uses_lib_test.rego"), "package acme_test\n\nimport data.lambdacheck.lib\n\ntest_helper if {\n\tlib.account_of(\"arn:aws:sqs:eu-west-1:444455556666:q\") == \"444455556666\"\n}\n")
	out, _, code = runCLI(t, "", "rules", "test", lib)
	if code != 0 || !strings.Contains(out, "1 passed, 0 failed") {
		t.Errorf("test using data.lambdacheck.lib: exit %d\n%s", code, out)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "x_test.rego"), "package x_test\n\ntest_wrong if {\n\t1 == 2\n}\n")
	out, _, code = runCLI(t, "", "rules", "test", dir)
	if code != 1 || !strings.Contains(out, "FAIL  x_test.test_wrong") || !strings.Contains(out, "x_test.rego:3") {
		t.Errorf("failing test: exit %d\n%s", code, out)
	}
}

func TestSimulateExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"clean_app_passes", []string{"../../fixtures/thumbnails"}, 0},
		{"broken_triggers_fail_at_high", []string{"../../fixtures/broken-triggers"}, 1},
		{"fail_on_critical_ignores_high", []string{"../../fixtures/broken-triggers", "--fail-on", "critical"}, 0},
		{"fail_on_none_never_fails", []string{"../../fixtures/public-exposure", "--fail-on", "none"}, 0},
		{"fail_on_low_catches_medium", []string{"../../fixtures/risky-roles", "--fail-on", "low"}, 1},
		{"bad_fail_on_is_usage_error", []string{"../../fixtures/thumbnails", "--fail-on", "severe"}, 2},
		{"bad_format_is_usage_error", []string{"../../fixtures/thumbnails", "--format", "xml"}, 2},
		{"bad_today_is_usage_error", []string{"../../fixtures/thumbnails", "--today", "tomorrow"}, 2},
		{"missing_config_is_usage_error", []string{"../../fixtures/thumbnails", "--config", "nope.hcl"}, 2},
		{"missing_baseline_is_usage_error", []string{"../../fixtures/thumbnails", "--baseline", "nope.json"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"simulate", "--today", testDay, "--format", "json"}, tc.args...)
			_, stderr, code := runCLI(t, "", args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
		})
	}
}

type simOut struct {
	Findings []rules.Finding `json:"findings"`
}

func simulateJSONFindings(t *testing.T, args ...string) ([]rules.Finding, string, int) {
	t.Helper()
	out, stderr, code := runCLI(t, "", append([]string{"simulate", "--today", testDay, "--format", "json"}, args...)...)
	var s simOut
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, stderr)
	}
	return s.Findings, stderr, code
}

func TestSimulateJSONCarriesFindings(t *testing.T) {
	fs, _, code := simulateJSONFindings(t, "../../fixtures/broken-triggers")
	if code != 1 || len(fs) == 0 {
		t.Fatalf("exit %d, %d findings", code, len(fs))
	}
	f := fs[0]
	if f.Rule == "" || f.ShortCode == "" || f.Title == "" || f.Message == "" || f.Address == "" || f.File == "" || f.Line == 0 || len(f.Flows) == 0 || f.Fingerprint == "" {
		t.Errorf("finding lacks contract fields: %+v", f)
	}
}

func TestSimulateSARIFPathsAreRepoRelative(t *testing.T) {
	out, _, code := runCLI(t, "", "simulate", "../../fixtures/broken-triggers", "--format", "sarif", "--today", testDay)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out, `"uri": "fixtures/broken-triggers/events.tf"`) {
		t.Errorf("SARIF locations are not relative to the repository root:\n%.2000s", out)
	}
}

func TestSimulateFormats(t *testing.T) {
	for _, tc := range []struct{ format, want string }{
		{"junit", `<testsuites name="lambdacheck"`},
		{"markdown", "### lambdacheck · `../../fixtures/broken-triggers`: "},
		{"table", "Findings\nHIGH ("},
	} {
		t.Run(tc.format, func(t *testing.T) {
			out, _, code := runCLI(t, "", "simulate", "../../fixtures/broken-triggers", "--format", tc.format, "--today", testDay)
			if code != 1 || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d, output lacks %q:\n%.1500s", code, tc.want, out)
			}
			if strings.Contains(out, "\x1b[") {
				t.Error("colour escapes written to a non-terminal")
			}
		})
	}
}

// copyApp copies a fixture's .tf files into a fresh directory.
func copyApp(t *testing.T, app string) string {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob(filepath.Join("../../fixtures", app, "*.tf"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.Base(f)), string(data))
	}
	return dir
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSimulateWaivers(t *testing.T) {
	dir := copyApp(t, "public-exposure")
	// Inline: waive the public invoke on its permission block.
	src, err := os.ReadFile(filepath.Join(dir, "url.tf"))
	if err != nil {
		t.Fatal(err)
	}
	waived := strings.Replace(string(src), `resource "aws_lambda_permission" "webhook_public" {`,
		"# lambdacheck:ignore:LC004 public webhook, payloads are signed\nresource \"aws_lambda_permission\" \"webhook_public\" {", 1)
	if waived == string(src) {
		t.Fatal("fixture changed: webhook_public block not found")
	}
	writeFile(t, filepath.Join(dir, "url.tf"), waived)
	// Settings: trust the partner account, ignore the rest until a date.
	writeFile(t, filepath.Join(dir, ".lambdacheck.hcl"), `
trusted_accounts = ["444455556666"]
fail_on          = "critical"

ignore "public-entry-reaches-data-write" {
  address = "aws_lambda_function_url.*"
  reason  = "report endpoint, tracked in SEC-7"
  expires = "2026-12-31"
}

ignore "LC007" {
  all     = true
  reason  = "old waiver"
  expires = "2026-01-01"
}
`)
	fs, stderr, code := simulateJSONFindings(t, dir)
	kinds := map[string]string{}
	for _, f := range fs {
		k := "open"
		if f.Suppressed != nil {
			k = f.Suppressed.Kind
		}
		kinds[f.Rule] = k
	}
	if kinds["LC004"] != "inline" || kinds["LC014"] != "config" || kinds["LC007"] != "open" {
		t.Errorf("suppressions by rule = %v", kinds)
	}
	if _, ok := kinds["LC006"]; ok {
		t.Errorf("trusted account 444455556666 still raises cross-account-invoke: %v", kinds)
	}
	if !strings.Contains(stderr, `ignore "LC007" expired on 2026-01-01`) {
		t.Errorf("no warning for the expired ignore; stderr: %s", stderr)
	}
	// fail_on critical from the settings: the remaining open findings are high.
	if code != 0 {
		t.Errorf("exit %d with fail_on = critical from .lambdacheck.hcl; stderr: %s", code, stderr)
	}
	// The flag wins over the settings.
	if _, _, code := simulateJSONFindings(t, dir, "--fail-on", "high"); code != 1 {
		t.Errorf("--fail-on high: exit %d, want 1", code)
	}
	// After the ignore's expiry the data-write finding counts again.
	if _, _, code := simulateJSONFindings(t, dir, "--today", "2027-01-01"); code != 1 {
		t.Errorf("after expiry: exit %d, want 1", code)
	}
}

func TestSimulateBaseline(t *testing.T) {
	dir := copyApp(t, "public-exposure")
	baseline := filepath.Join(t.TempDir(), "baseline.json")
	_, stderr, code := simulateJSONFindings(t, dir, "--write-baseline", baseline)
	if code != 0 || !strings.Contains(stderr, "wrote 6 accepted finding(s)") {
		t.Fatalf("write baseline: exit %d, stderr %s", code, stderr)
	}
	fs, _, code := simulateJSONFindings(t, dir, "--baseline", baseline)
	if code != 0 {
		t.Errorf("with the baseline: exit %d, want 0", code)
	}
	for _, f := range fs {
		if f.Suppressed == nil || f.Suppressed.Kind != "baseline" {
			t.Errorf("not baselined: %+v", f)
		}
	}
	// A new public function is not in the baseline; moving lines is not a
	// new finding.
	extra := "\n\n\n" + `resource "aws_lambda_permission" "thumbnailer_public" {
  statement_id  = "AllowAnyone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.thumbnailer.function_name
  principal     = "*"
}
`
	src, _ := os.ReadFile(filepath.Join(dir, "url.tf"))
	writeFile(t, filepath.Join(dir, "url.tf"), "\n\n\n"+string(src)+extra)
	fs, _, code = simulateJSONFindings(t, dir, "--baseline", baseline)
	var open []string
	for _, f := range fs {
		if f.Suppressed == nil {
			open = append(open, f.Rule+" "+f.Address)
		}
	}
	if code != 1 || len(open) != 1 || open[0] != "LC004 aws_lambda_permission.thumbnailer_public" {
		t.Errorf("exit %d, open findings %v; want only the new permission", code, open)
	}
}

// TestREADMERuleTable keeps the README's rule table in sync with the rule
// metadata (go test ./cmd/lambdacheck -run READMERuleTable -update rewrites
// it from `lambdacheck rules --format markdown`).
func TestREADMERuleTable(t *testing.T) {
	const begin, end = "<!-- rules:begin (generated: go run ./cmd/lambdacheck rules --format markdown) -->\n", "<!-- rules:end -->"
	table, _, code := runCLI(t, "", "rules", "--format", "markdown")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	path := "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the rule table markers %q … %q", begin, end)
	}
	current := readme[i+len(begin) : j]
	if current == table {
		return
	}
	if updateGolden() {
		if err := os.WriteFile(path, []byte(readme[:i+len(begin)]+table+readme[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README rule table is out of date; run go test ./cmd/lambdacheck -run READMERuleTable -update\nwant:\n%s", table)
}

// The built-in rules given again as a directory load once: their tests run
// (with the helpers they import), and simulate with them as --policy
// reports each finding once.
func TestBuiltinRulesGivenAsDirectoryLoadOnce(t *testing.T) {
	out, stderr, code := runCLI(t, "", "rules", "test", "../../policies")
	if code != 0 || !strings.Contains(out, " passed, 0 failed") {
		t.Fatalf("rules test ../../policies: exit %d\n%s\n%s", code, out, stderr)
	}
	plain, _, code1 := simulateJSONFindings(t, "../../fixtures/public-exposure")
	again, stderr, code2 := simulateJSONFindings(t, "../../fixtures/public-exposure", "--policy", "../../policies")
	if code1 != code2 || len(plain) == 0 || len(again) != len(plain) {
		t.Fatalf("findings without/with --policy policies: %d (exit %d) / %d (exit %d)\n%s", len(plain), code1, len(again), code2, stderr)
	}
}

// A custom rule's metadata is input: its control characters do not reach
// the rule table.
func TestRulesMarkdownCleansCustomMetadata(t *testing.T) {
	src, err := os.ReadFile("../../analyzer/rules/testdata/policies/url-without-auth/url-without-auth.rego")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "evil")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	evil := strings.Replace(string(src), "# title: Function URL without authentication", "# title: \"Function URL \\u001b]8;;https://evil.example\\u0007without\\u001b[31m authentication\"", 1)
	writeFile(t, filepath.Join(dir, "evil.rego"), evil)
	libs, _ := filepath.Glob("../../analyzer/rules/testdata/policies/lib/*.rego")
	for _, l := range libs {
		data, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(filepath.Dir(dir), filepath.Base(l)), string(data))
	}
	out, stderr, code := runCLI(t, "", "rules", "--policy", filepath.Dir(dir), "--format", "markdown")
	if code != 0 || !strings.Contains(out, "TST001") {
		t.Fatalf("exit %d:\n%s\n%s", code, out, stderr)
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("control characters in the rule table:\n%q", out)
	}
}
