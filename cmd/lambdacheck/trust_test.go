package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// The settings and waivers in the tree may be written by the change being
// judged (a pull request from a fork): these tests prove the command line
// keeps the gate. The public-exposure fixture has 2 critical and 4 high
// findings: LC004 (webhook_public), LC014 and LC005 (public_report), LC006
// (partner_sync) and LC007 twice.

// inlineWaiveWebhook copies public-exposure with an inline waiver of LC004
// on the webhook_public permission.
func inlineWaiveWebhook(t *testing.T) string {
	t.Helper()
	dir := copyApp(t, "public-exposure")
	src := readFile(t, filepath.Join(dir, "url.tf"))
	waived := strings.Replace(src, `resource "aws_lambda_permission" "webhook_public" {`,
		"# lambdacheck:ignore:LC004 public webhook, payloads are signed\nresource \"aws_lambda_permission\" \"webhook_public\" {", 1)
	if waived == src {
		t.Fatal("fixture changed: webhook_public block not found")
	}
	writeFile(t, filepath.Join(dir, "url.tf"), waived)
	return dir
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// suppressions maps "RULE address" to the suppression kind, "open" when
// the finding counts.
func suppressions(fs []rules.Finding) map[string]string {
	m := map[string]string{}
	for _, f := range fs {
		k := "open"
		if f.Suppressed != nil {
			k = f.Suppressed.Kind
		}
		m[f.Rule+" "+f.Address] = k
	}
	return m
}

func TestSimulateFailOnFlagWinsOverSettings(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings string
		args     []string
		code     int
	}{
		{"settings_none_without_flag", `fail_on = "none"`, nil, 0},
		{"flag_high_beats_settings_none", `fail_on = "none"`, []string{"--fail-on", "high"}, 1},
		{"flag_critical_beats_settings_none", `fail_on = "none"`, []string{"--fail-on", "critical"}, 1},
		{"flag_given_as_one_word", `fail_on = "none"`, []string{"--fail-on=high"}, 1},
		{"settings_low_without_flag", `fail_on = "low"`, nil, 1},
		{"flag_none_beats_settings_low", `fail_on = "low"`, []string{"--fail-on", "none"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyApp(t, "public-exposure")
			writeFile(t, filepath.Join(dir, ".lambdacheck.hcl"), tc.settings+"\n")
			_, stderr, code := simulateJSONFindings(t, append([]string{dir}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
		})
	}
}

func TestSimulateConfigReplacesInTreeSettings(t *testing.T) {
	dir := copyApp(t, "public-exposure")
	inTree := filepath.Join(dir, ".lambdacheck.hcl")
	// What a hostile change would add: no gate, waive the criticals, trust
	// the outside account.
	writeFile(t, inTree, `
fail_on          = "none"
trusted_accounts = ["444455556666"]

ignore "LC004" {
  address = "aws_lambda_permission.*"
  reason  = "x"
}

ignore "LC014" {
  all    = true
  reason = "x"
}
`)
	base := filepath.Join(t.TempDir(), "base.hcl")
	writeFile(t, base, `
ignore "LC007" {
  address = "aws_lambda_permission.uploads"
  reason  = "bucket in our account, SEC-9"
}
`)

	// Without --config the in-tree file decides.
	fs, stderr, code := simulateJSONFindings(t, dir)
	got := suppressions(fs)
	if code != 0 || got["LC004 aws_lambda_permission.webhook_public"] != "config" || got["LC014 aws_lambda_function_url.public_report"] != "config" {
		t.Fatalf("in-tree settings not applied: exit %d, %v\n%s", code, got, stderr)
	}

	fs, stderr, code = simulateJSONFindings(t, dir, "--config", base)
	got = suppressions(fs)
	want := map[string]string{
		"LC004 aws_lambda_permission.webhook_public":  "open",
		"LC014 aws_lambda_function_url.public_report": "open",
		"LC005 aws_lambda_function_url.public_report": "open",
		"LC006 aws_lambda_permission.partner_sync":    "open", // in-tree trusted_accounts ignored
		"LC007 aws_lambda_permission.uploads":         "config",
		"LC007 aws_lambda_permission.alerts":          "open",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if code != 1 {
		t.Errorf("exit %d, want 1 (the in-tree fail_on none is ignored)", code)
	}
	note := "lambdacheck: note: " + inTree + " is ignored: the settings come from --config " + base
	if strings.Count(stderr, note) != 1 {
		t.Errorf("stderr does not say once that %s is ignored:\n%s", inTree, stderr)
	}

	// --config naming the in-tree file itself: used, and no note.
	_, stderr, code = simulateJSONFindings(t, dir, "--config", inTree)
	if code != 0 || strings.Contains(stderr, "is ignored") {
		t.Errorf("--config %s: exit %d, stderr %s", inTree, code, stderr)
	}
	// No in-tree file: no note.
	clean := copyApp(t, "public-exposure")
	if _, stderr, _ := simulateJSONFindings(t, clean, "--config", base); strings.Contains(stderr, "is ignored") {
		t.Errorf("note without an in-tree file: %s", stderr)
	}
}

func TestSimulateNoInlineWaivers(t *testing.T) {
	dir := inlineWaiveWebhook(t)
	const key = "LC004 aws_lambda_permission.webhook_public"
	fs, _, _ := simulateJSONFindings(t, dir, "--fail-on", "critical")
	if got := suppressions(fs)[key]; got != "inline" {
		t.Fatalf("without the flag %s is %q, want inline", key, got)
	}
	// LC014 is critical too: waived in the settings, the inline-waived
	// LC004 alone decides the gate at critical.
	writeFile(t, filepath.Join(dir, ".lambdacheck.hcl"), `
ignore "LC014" {
  address = "aws_lambda_function_url.public_report"
  reason  = "report endpoint, SEC-7"
}
`)
	if _, stderr, code := simulateJSONFindings(t, dir, "--fail-on", "critical"); code != 0 {
		t.Fatalf("with the inline waiver: exit %d, want 0; stderr %s", code, stderr)
	}
	fs, stderr, code := simulateJSONFindings(t, dir, "--fail-on", "critical", "--no-inline-waivers")
	got := suppressions(fs)
	if got[key] != "open" {
		t.Errorf("with --no-inline-waivers %s is %q, want open", key, got[key])
	}
	if got["LC014 aws_lambda_function_url.public_report"] != "config" {
		t.Errorf("settings ignores must still apply: %v", got)
	}
	if code != 1 {
		t.Errorf("with --no-inline-waivers: exit %d, want 1; stderr %s", code, stderr)
	}
}

func TestSimulateIgnoreNeedsAddressOrAll(t *testing.T) {
	dir := copyApp(t, "public-exposure")
	cfg := filepath.Join(dir, ".lambdacheck.hcl")
	writeFile(t, cfg, "fail_on = \"high\"\n\nignore \"LC009\" {\n  reason = \"x\"\n}\n")
	_, stderr, code := runCLI(t, "", "simulate", "--today", testDay, "--format", "json", dir)
	want := cfg + `:3:1: ignore "LC009": needs an address`
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("address-less ignore in the tree: exit %d, stderr %q; want 2 naming %s", code, stderr, want)
	}
	// The same from --config.
	outside := filepath.Join(t.TempDir(), "base.hcl")
	writeFile(t, outside, "ignore \"LC004\" {\n  reason = \"x\"\n}\n")
	_, stderr, code = runCLI(t, "", "simulate", "--today", testDay, "--format", "json", copyApp(t, "public-exposure"), "--config", outside)
	if want := outside + `:1:1: ignore "LC004": needs an address`; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("address-less ignore in --config: exit %d, stderr %q; want 2 naming %s", code, stderr, want)
	}

	// all = true says it explicitly: every LC007 finding is waived.
	writeFile(t, cfg, "ignore \"LC007\" {\n  all    = true\n  reason = \"service principals are pinned by SCP, SEC-11\"\n}\n")
	fs, stderr, code := simulateJSONFindings(t, dir)
	got := suppressions(fs)
	if code != 1 || got["LC007 aws_lambda_permission.uploads"] != "config" || got["LC007 aws_lambda_permission.alerts"] != "config" || got["LC004 aws_lambda_permission.webhook_public"] != "open" {
		t.Errorf("all = true: exit %d, %v\n%s", code, got, stderr)
	}
}
