package rules

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

func waiverFindings() []Finding {
	mk := func(rule, code, addr string, line int) Finding {
		return Finding{Rule: rule, ShortCode: code, Severity: High, Address: addr, Span: loc.At("main.tf", line), Message: "m"}
	}
	return []Finding{
		mk("TST003", "old-runtime", "aws_lambda_function.api", 2),              // comment inside the block
		mk("TST001", "url-without-auth", "aws_lambda_function_url.api", 9),     // comment just above, by id
		mk("TST002", "trigger-denied", "aws_lambda_function_url.api", 11),      // by short code, line inside the block
		mk("TST002", "trigger-denied", "aws_s3_bucket_notification.in", 15),    // waiver without a reason
		mk("TST002", "trigger-denied", "aws_s3_bucket_notification.other", 21), // comment not adjacent
		mk("TST001", "url-without-auth", "aws_lambda_function.api", 2),         // other rule than the waiver
	}
}

// testWaivers are the waivers the loader records for
// analyzer/terraform/config/testdata/waivers/main.tf (its own test checks
// that): one inside a block, one just above, one without a reason.
func testWaivers() []inventory.Waiver {
	return []inventory.Waiver{
		{Rules: []string{"TST003"}, Reason: "pinned until the vendor SDK supports 3.12", File: "main.tf", Line: 4, BlockStart: 2, BlockEnd: 5},
		{Rules: []string{"TST001", "trigger-denied"}, Reason: "public status page, reviewed in SEC-88", File: "main.tf", Line: 8, BlockStart: 9, BlockEnd: 12},
		{Rules: []string{"TST002"}, File: "main.tf", Line: 14, BlockStart: 15, BlockEnd: 17},
	}
}

func TestApplyInline(t *testing.T) {
	fs := waiverFindings()
	warnings := ApplyInline(fs, testWaivers())
	want := []string{
		"inline:pinned until the vendor SDK supports 3.12:main.tf:4",
		"inline:public status page, reviewed in SEC-88:main.tf:8",
		"inline:public status page, reviewed in SEC-88:main.tf:8",
		"", "", "",
	}
	for i, f := range fs {
		got := ""
		if f.Suppressed != nil {
			got = f.Suppressed.Kind + ":" + f.Suppressed.Reason + ":" + f.Suppressed.Where
		}
		if got != want[i] {
			t.Errorf("finding %d (%s %s): suppression %q, want %q", i, f.Rule, f.Address, got, want[i])
		}
	}
	if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "main.tf:14: lambdacheck:ignore without a reason") {
		t.Errorf("warnings = %q", warnings)
	}
}

// A waiver applies only to findings of its own file and block.
func TestApplyInlineOtherFilesAndNoPosition(t *testing.T) {
	fs := []Finding{
		{Rule: "TST001", Span: loc.At("other.tf", 10)},
		{Rule: "TST001", Span: loc.At("main.tf.json", 10)},
		{Rule: "TST001"},
	}
	if w := ApplyInline(fs, testWaivers()); len(w) != 0 {
		t.Errorf("warnings = %v", w)
	}
	for _, f := range fs {
		if f.Suppressed != nil {
			t.Errorf("suppressed %+v", f)
		}
	}
}

func TestParseSettings(t *testing.T) {
	src := `
accounts         = ["123456789012"]
trusted_accounts = ["444455556666"]
org_id           = "o-abc123def4"
fail_on          = "medium"

ignore "LC006" {
  address = "aws_lambda_permission.partner*"
  reason  = "partner integration, SEC-142"
  expires = "2027-01-31"
}

ignore "public-invoke" {
  all    = true
  reason = "everything public is reviewed"
}
`
	s, err := ParseSettings(".lambdacheck.hcl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.TrustedAccounts, []string{"444455556666"}) || s.OrgID != "o-abc123def4" || s.FailOn != "medium" ||
		!slices.Equal(s.Accounts, []string{"123456789012"}) || len(s.Ignores) != 2 {
		t.Fatalf("settings = %+v", s)
	}
	if s.Ignores[0].All || !s.Ignores[1].All || s.Ignores[1].Address != "" {
		t.Errorf("ignores = %+v", s.Ignores)
	}
	if s.Ignores[0].Where() != ".lambdacheck.hcl:7" {
		t.Errorf("ignore where = %s", s.Ignores[0].Where())
	}
}

func TestParseSettingsErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"hcl_syntax_error", "fail_on = \n", ".lambdacheck.hcl:1"},
		{"unknown_attribute", "fail_onn = \"high\"\n", ".lambdacheck.hcl:1:1: Unsupported argument"},
		{"bad_account", "\n\ntrusted_accounts = [\"1234\"]\n", `.lambdacheck.hcl:3:1: trusted_accounts: "1234" is not a 12-digit account id`},
		{"bad_threshold", "fail_on = \"severe\"\n", `.lambdacheck.hcl:1:1: fail-on "severe"`},
		{"bad_org", "org_id = \"abc\"\n", `.lambdacheck.hcl:1:1: org_id "abc"`},
		{"ignore_without_reason", "\nignore \"LC001\" {\n  all = true\n  reason = \" \"\n}\n", `.lambdacheck.hcl:2:1: ignore "LC001": reason must say why`},
		{"ignore_missing_reason_attribute", "ignore \"LC001\" {\n}\n", `.lambdacheck.hcl:1`},
		{"ignore_bad_date", "ignore \"LC001\" {\n  all = true\n  reason = \"r\"\n  expires = \"31/01/2027\"\n}\n", `.lambdacheck.hcl:1:1: ignore "LC001": expires "31/01/2027": want YYYY-MM-DD`},
		{"ignore_without_address", "fail_on = \"high\"\n\nignore \"LC009\" {\n  reason = \"x\"\n}\n", `.lambdacheck.hcl:3:1: ignore "LC009": needs an address (a pattern, * matches any run of characters), or all = true`},
		{"ignore_blank_address", "ignore \"LC009\" {\n  address = \" \"\n  reason = \"x\"\n}\n", `.lambdacheck.hcl:1:1: ignore "LC009": needs an address`},
		{"ignore_all_false", "ignore \"LC009\" {\n  all = false\n  reason = \"x\"\n}\n", `.lambdacheck.hcl:1:1: ignore "LC009": needs an address`},
		{"ignore_address_only_stars", "ignore \"LC009\" {\n  address = \"**\"\n  reason = \"x\"\n}\n", `.lambdacheck.hcl:1:1: ignore "LC009": address "**" matches every resource; say all = true`},
		{"ignore_address_and_all", "ignore \"LC009\" {\n  address = \"aws_iam_role.a\"\n  all = true\n  reason = \"x\"\n}\n", `.lambdacheck.hcl:1:1: ignore "LC009": address and all = true exclude each other`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSettings(".lambdacheck.hcl", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestApplyIgnores(t *testing.T) {
	s, err := ParseSettings("cfg.hcl", []byte(`
ignore "LC006" {
  address = "aws_lambda_permission.partner*"
  reason  = "partner integration"
  expires = "2026-11-25"
}
ignore "LC007" {
  all     = true
  reason  = "old waiver"
  expires = "2026-11-24"
}
ignore "public-invoke" {
  address = "aws_lambda_permission.status"
  reason  = "status page"
}
`))
	if err != nil {
		t.Fatal(err)
	}
	fs := []Finding{
		{Rule: "LC006", Address: "aws_lambda_permission.partner_eu"},                                           // pattern, valid through expiry day
		{Rule: "LC006", Address: "aws_lambda_permission.other"},                                                // address does not match
		{Rule: "LC007", Address: "aws_lambda_function.a"},                                                      // expired the day before
		{Rule: "LC007", Address: "aws_lambda_function.b"},                                                      // expired: warned once only
		{Rule: "LC004", ShortCode: "public-invoke", Address: "aws_lambda_permission.status"},                   // by short code
		{Rule: "LC006", Address: "aws_lambda_permission.partner_us", Suppressed: &Suppression{Kind: "inline"}}, // keeps its waiver
	}
	warnings := s.ApplyIgnores(fs, today)
	want := []string{"config", "", "", "", "config", "inline"}
	for i, f := range fs {
		got := ""
		if f.Suppressed != nil {
			got = f.Suppressed.Kind
		}
		if got != want[i] {
			t.Errorf("finding %d %+v: suppression %q, want %q", i, f, got, want[i])
		}
	}
	if fs[0].Suppressed.Where != "cfg.hcl:2" || fs[0].Suppressed.Expires != "2026-11-25" {
		t.Errorf("suppression = %+v", fs[0].Suppressed)
	}
	if len(warnings) != 1 || warnings[0] != `cfg.hcl:7: ignore "LC007" expired on 2026-11-24; its findings count again` {
		t.Errorf("warnings = %q", warnings)
	}
	// The day after, the first ignore lapses too.
	fs2 := []Finding{{Rule: "LC006", Address: "aws_lambda_permission.partner_eu"}}
	if w := s.ApplyIgnores(fs2, today.Add(24*time.Hour)); fs2[0].Suppressed != nil || len(w) != 1 {
		t.Errorf("after expiry: %+v, %v", fs2[0], w)
	}
}

func TestMatchAddress(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"aws_lambda_function.a", "aws_lambda_function.a", true},
		{"aws_lambda_function.a", "aws_lambda_function.ab", false},
		{"aws_lambda_function.*", "aws_lambda_function.a", true},
		{`aws_lambda_function.handler["*"]`, `aws_lambda_function.handler["get"]`, true},
		{"module.legacy.*", "module.legacy.aws_lambda_function.x", true},
		{"module.legacy.*", "module.legacy2.aws_lambda_function.x", false},
		{"*.x", "a.b.x", true},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{"*", "", true},
		{"", "", true},
		{"", "a", false},
		{"[abc]", "a", false}, // no classes: brackets are literal
	} {
		if got := MatchAddress(tc.pattern, tc.s); got != tc.want {
			t.Errorf("MatchAddress(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestFindSettings(t *testing.T) {
	dir := t.TempDir()
	if p, err := FindSettings("", dir); err != nil || p != "" && p != SettingsFile {
		t.Errorf("no file: %q %v", p, err)
	}
	if err := os.WriteFile(dir+"/"+SettingsFile, []byte("fail_on = \"low\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, err := FindSettings("", dir); err != nil || p != dir+"/"+SettingsFile {
		t.Errorf("in input dir: %q %v", p, err)
	}
	if _, err := FindSettings(dir+"/nope.hcl", dir); err == nil {
		t.Error("explicit missing file must be an error")
	}
}

func TestIgnoreAppliesNeedsAddressOrAll(t *testing.T) {
	f := Finding{Rule: "LC009", ShortCode: "admin-or-wildcard-role", Address: "aws_iam_role.app"}
	for _, tc := range []struct {
		name string
		ig   Ignore
		want bool
	}{
		{"no_address_waives_nothing", Ignore{Rule: "LC009"}, false},
		{"all_waives_every_address", Ignore{Rule: "LC009", All: true}, true},
		{"all_by_short_code", Ignore{Rule: "admin-or-wildcard-role", All: true}, true},
		{"all_other_rule", Ignore{Rule: "LC010", All: true}, false},
		{"address_pattern", Ignore{Rule: "LC009", Address: "aws_iam_role.*"}, true},
		{"address_mismatch", Ignore{Rule: "LC009", Address: "aws_iam_role.other"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ig.Applies(f); got != tc.want {
				t.Errorf("Applies = %v, want %v", got, tc.want)
			}
		})
	}
}

// A settings file nested deeper than the parser can recurse (it may come
// with the change under review) is an error naming the file, not a crash.
func TestParseSettingsRefusesDeepNesting(t *testing.T) {
	src := "accounts = " + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + "\n"
	_, err := ParseSettings(".lambdacheck.hcl", []byte(src))
	if err == nil || !strings.Contains(err.Error(), ".lambdacheck.hcl:1") || !strings.Contains(err.Error(), "nesting limit") {
		t.Fatalf("err %v, want the nesting limit at .lambdacheck.hcl:1", err)
	}
}
