package rules

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

func TestFingerprintIgnoresLines(t *testing.T) {
	a := Finding{Rule: "LC001", Address: "aws_lambda_function.a", Span: loc.At("main.tf", 10), Flows: []string{"invoke/x"}, Message: "m1"}
	b := a
	b.Line, b.File, b.Message = 99, "moved.tf", "reworded"
	if fingerprint(a) != fingerprint(b) {
		t.Error("moving a block or rewording a message must keep the fingerprint when flows identify the finding")
	}
	for _, tc := range []struct {
		name   string
		change func(*Finding)
	}{
		{"other_rule", func(f *Finding) { f.Rule = "LC002" }},
		{"other_address", func(f *Finding) { f.Address = "aws_lambda_function.b" }},
		{"other_flow", func(f *Finding) { f.Flows = []string{"invoke/y"} }},
		{"no_flows_message_counts", func(f *Finding) { f.Flows = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := a
			tc.change(&c)
			if fingerprint(c) == fingerprint(a) {
				t.Error("fingerprint unchanged")
			}
		})
	}
	n1 := Finding{Rule: "LC015", Address: "aws_lambda_function.a", Message: "DB_PASSWORD looks like a secret"}
	n2 := n1
	n2.Message = "API_TOKEN looks like a secret"
	if fingerprint(n1) == fingerprint(n2) {
		t.Error("two flowless findings on one address must differ by message")
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	e := loadTestEngine(t)
	in := Input{Inventory: testInventory(), Flows: testFlows(), Today: today}
	fs, err := e.Evaluate(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	// A finding waived inline is not written into the baseline.
	fs[2].Suppressed = &Suppression{Kind: "inline", Reason: "r"}
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := WriteBaselineFile(path, fs); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Findings) != 2 {
		t.Fatalf("baseline holds %d findings, want 2: %+v", len(b.Findings), b.Findings)
	}

	// Next run: the same findings plus a new one on another function, and
	// the lines moved.
	inv := testInventory()
	inv.Functions[0].Origin.Line = 50
	inv.Functions[0].URLs[0].Origin.Line = 70
	inv.Functions = append(inv.Functions, inv.Functions[0])
	inv.Functions[1].Address = "aws_lambda_function.new"
	inv.Functions[1].URLs = []inventoryURL{{Origin: originAt("aws_lambda_function_url.new", 90), AuthType: "NONE"}}
	fs2, err := e.Evaluate(context.Background(), Input{Inventory: inv, Flows: testFlows(), Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if stale := b.Apply(fs2); stale != 0 {
		t.Errorf("stale = %d, want 0", stale)
	}
	var open []string
	for _, f := range fs2 {
		if f.Suppressed == nil {
			open = append(open, f.Rule+" "+f.Address)
		} else if f.Suppressed.Kind != "baseline" {
			t.Errorf("suppression kind %q", f.Suppressed.Kind)
		}
	}
	// Only new findings stay open: the second function's URL and runtime
	// (the runtime finding of the first function was waived, not baselined).
	want := "TST001 aws_lambda_function_url.new,TST003 aws_lambda_function.api,TST003 aws_lambda_function.new"
	if got := strings.Join(open, ","); got != want {
		t.Errorf("open findings = %s\nwant %s", got, want)
	}

	// Fixed findings make baseline entries stale.
	if stale := b.Apply(nil); stale != 2 {
		t.Errorf("stale on an empty run = %d, want 2", stale)
	}
}

func TestBaselineWriteIsSortedAndStable(t *testing.T) {
	fs := []Finding{
		{Rule: "LC002", Address: "b", Fingerprint: "2"},
		{Rule: "LC001", Address: "z", Fingerprint: "3"},
		{Rule: "LC001", Address: "a", Fingerprint: "1"},
		{Rule: "LC001", Address: "a", Fingerprint: "1"},
	}
	var buf bytes.Buffer
	if err := NewBaseline(fs).Write(&buf); err != nil {
		t.Fatal(err)
	}
	b, err := ParseBaseline("b.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range b.Findings {
		got = append(got, e.Fingerprint)
	}
	if strings.Join(got, ",") != "1,3,2" {
		t.Errorf("order = %v, want by rule then address, deduplicated", got)
	}
}

func TestParseBaselineErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"not_json", "{", "baseline b.json"},
		{"truncated_names_its_position", "{\n  \"version\": 1,\n  \"findings\": [", "line 3, column 16"},
		{"syntax_error_names_its_position", "{\n  \"version\": 1,\n  \"findings\": [}]\n}", "line 3, column 16"},
		{"wrong_version", `{"version": 2, "findings": []}`, "version 2, want 1"},
		{"unknown_field", `{"version": 1, "findings": [], "extra": 1}`, "unknown field"},
		{"entry_without_fingerprint", `{"version": 1, "findings": [{"rule": "LC001"}]}`, "findings[0] has no fingerprint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBaseline("b.json", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestBaselineMatching(t *testing.T) {
	b := NewBaseline([]Finding{
		{Rule: "LC007", Address: "aws_lambda_permission.uploads", Fingerprint: "old-print"},
		{Rule: "LC015", Address: "aws_lambda_function.a", Fingerprint: "secret-1"},
	})
	for _, tc := range []struct {
		name     string
		findings []Finding
		accepted []bool
		stale    int
	}{
		{"same_fingerprint", []Finding{{Rule: "LC015", Address: "aws_lambda_function.a", Fingerprint: "secret-1"}}, []bool{true}, 1},
		{"flows_changed_same_rule_and_address", []Finding{{Rule: "LC007", Address: "aws_lambda_permission.uploads", Fingerprint: "new-print"}}, []bool{true}, 1},
		{"each_entry_accepts_one_finding", []Finding{
			{Rule: "LC015", Address: "aws_lambda_function.a", Fingerprint: "secret-1"},
			{Rule: "LC015", Address: "aws_lambda_function.a", Fingerprint: "secret-2"},
		}, []bool{true, false}, 1},
		{"exact_match_wins_over_loose", []Finding{
			{Rule: "LC015", Address: "aws_lambda_function.a", Fingerprint: "secret-2"},
			{Rule: "LC015", Address: "aws_lambda_function.a", Fingerprint: "secret-1"},
		}, []bool{false, true}, 1},
		{"other_address_is_new", []Finding{{Rule: "LC007", Address: "aws_lambda_permission.other", Fingerprint: "x"}}, []bool{false}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := slices.Clone(tc.findings)
			stale := b.Apply(fs)
			for i, f := range fs {
				if got := f.Suppressed != nil; got != tc.accepted[i] {
					t.Errorf("finding %d accepted = %v, want %v", i, got, tc.accepted[i])
				}
			}
			if stale != tc.stale {
				t.Errorf("stale = %d, want %d", stale, tc.stale)
			}
		})
	}
}
