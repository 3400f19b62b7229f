package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/audit"
	"github.com/lambdacheck/lambdacheck/internal/browsertest"
)

func TestReportCrossAccountInboundAndOutbound(t *testing.T) {
	out, errOut, code := runCLI(t, "", "report", "cross-account", "../../fixtures/public-exposure", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var res struct {
		Entries []struct {
			Function, Direction, Who, Group string
			Granted                         []struct {
				Statement, File string
				Line            int
			} `json:"granted_by"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, e := range res.Entries {
		var gs []string
		for _, g := range e.Granted {
			gs = append(gs, fmt.Sprintf("%s (%s:%d)", g.Statement, g.File, g.Line))
		}
		got[e.Group+" "+e.Function+" "+e.Who] = strings.Join(gs, ", ")
	}
	if len(got) != 4 || !strings.Contains(got["outside aws_lambda_function.partner_sync 444455556666"], "aws_lambda_permission.partner_sync#AllowPartnerAccount (cross_account.tf:25)") || got["public aws_lambda_function.webhook *"] == "" {
		t.Errorf("inbound entries: %v", got)
	}
	// A service allowed without a source pin is its own group.
	if _, ok := got["service aws_lambda_function.alerts sns.amazonaws.com"]; !ok {
		t.Errorf("the service without a source pin is missing: %v", got)
	}
	out, _, code = runCLI(t, "", "report", "cross-account", "../../fixtures/risky-roles")
	if code != 0 || !strings.Contains(out, "arn:aws:sqs:eu-west-1:999988887777:intake") || !strings.Contains(out, "partner-egress#SendToIntake (egress.tf:11)") {
		t.Errorf("outbound: exit %d\n%s", code, out)
	}
	out, _, _ = runCLI(t, "", "report", "cross-account", diffData+"base")
	if !strings.Contains(out, "No function can be invoked from outside") {
		t.Errorf("nothing outside:\n%s", out)
	}
}

// orgSnapshots writes the snapshots of the two accounts of the test
// organization (an application account and a data account) and returns
// their paths.
func orgSnapshots(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	app, data := filepath.Join(dir, "app.json"), filepath.Join(dir, "data.json")
	for _, c := range [][]string{
		{"inventory", "testdata/crossaccount/app", "--account", "111111111111", "--format", "json", "--output", app},
		{"inventory", "testdata/crossaccount/data", "--account", "222222222222", "--format", "json", "--output", data},
	} {
		if _, stderr, code := runCLI(t, "", c...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", c, code, stderr)
		}
	}
	return []string{app, data}
}

// Every format of the report over two accounts' snapshots merged, with the
// organization and trusted account from the settings file.
func TestReportCrossAccountGoldens(t *testing.T) {
	snaps := orgSnapshots(t)
	for format, ext := range map[string]string{"table": "txt", "json": "json", "csv": "csv", "markdown": "md", "html": "html"} {
		t.Run(format, func(t *testing.T) {
			args := append([]string{"report", "cross-account"}, snaps...)
			out, stderr, code := runCLI(t, "", append(args, "--config", "testdata/crossaccount/.lambdacheck.hcl", "--format", format)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			golden := filepath.Join("testdata/crossaccount/golden", "report."+ext)
			if updateGolden() {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if out != string(want) {
				t.Errorf("%s differs from the golden file (run with -update to accept):\n%s", golden, out)
			}
		})
	}
}

// What the goldens are about: each group holds what it should, from both
// snapshots, with the statements and conditions that grant it.
func TestReportCrossAccountGroupsAnOrganization(t *testing.T) {
	snaps := orgSnapshots(t)
	out, stderr, code := runCLI(t, "", append(append([]string{"report", "cross-account"}, snaps...), "--config", "testdata/crossaccount/.lambdacheck.hcl", "--format", "json")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var doc audit.Audit
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]audit.Entry{}
	for _, e := range doc.Entries {
		got[e.Direction+" "+e.Group+" "+e.Function+" "+e.Who] = e
	}
	for key, check := range map[string]func(audit.Entry) bool{
		"inbound public aws_lambda_function.hook *": func(e audit.Entry) bool { return e.Decision == "allowed" },
		"inbound organization aws_lambda_function.api o-acme000001": func(e audit.Entry) bool {
			return len(e.Granted) == 1 && e.Granted[0].Statement == "aws_lambda_permission.org#AllowOrganization" && len(e.Granted[0].Conditions) == 1 && e.Granted[0].Conditions[0] == "aws:PrincipalOrgID must equal o-acme000001"
		},
		// The data account's function admits the app account: inside.
		"inbound organization aws_lambda_function.ingest 111111111111": func(e audit.Entry) bool { return e.Decision == "allowed" },
		"inbound outside aws_lambda_function.api 444455556666":         func(e audit.Entry) bool { return e.Trusted },
		"inbound outside aws_lambda_function.api arn:aws:iam::999988887777:role/importer": func(e audit.Entry) bool {
			return !e.Trusted && e.Account == "999988887777"
		},
		"inbound service aws_lambda_function.api sns.amazonaws.com": func(e audit.Entry) bool { return e.Decision == "allowed" },
		// Merged, the data account's queue policy decides the send.
		"outbound organization aws_lambda_function.api arn:aws:sqs:eu-west-1:222222222222:acme-ingest": func(e audit.Entry) bool {
			return e.Decision == "allowed" && e.Level == "Write" && len(e.Granted) == 2
		},
		"outbound outside aws_lambda_function.api arn:aws:sns:eu-west-1:999988887777:partner-events": func(e audit.Entry) bool { return e.Account == "999988887777" },
	} {
		e, ok := got[key]
		if !ok {
			t.Errorf("missing %s in %v", key, keys(got))
			continue
		}
		if !check(e) {
			t.Errorf("%s: %+v", key, e)
		}
	}
	if _, ok := got["inbound organization aws_lambda_function.hook o-acme000001"]; ok {
		t.Error("a public function is listed again as open to the organization")
	}
	if len(doc.Functions) != 3 || doc.OrgID != "o-acme000001" {
		t.Errorf("functions %+v, org %q", doc.Functions, doc.OrgID)
	}
	// The flags add to the settings: the stranger becomes trusted, and an
	// --org-id of another organization opens nothing of ours to it.
	out, _, _ = runCLI(t, "", append(append([]string{"report", "cross-account"}, snaps...), "--config", "testdata/crossaccount/.lambdacheck.hcl", "--trusted-account", "999988887777", "--org-id", "o-other00001")...)
	if !strings.Contains(out, "arn:aws:iam::999988887777:role/importer (account 999988887777) [trusted]") || strings.Contains(out, "o-acme000001") || strings.Contains(out, "o-other00001 ") {
		t.Errorf("flags:\n%s", out)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestReportCrossAccountRejectsBadSettings(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "settings.hcl")
	if err := os.WriteFile(cfg, []byte("org_id = \"acme\"\ntrusted_accounts = [\"12\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, "", "report", "cross-account", "../../fixtures/public-exposure", "--config", cfg)
	if code != 2 || !strings.Contains(stderr, "settings.hcl:2:1: trusted_accounts: \"12\" is not a 12-digit account id") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	_, stderr, code = runCLI(t, "", "report", "cross-account", "../../fixtures/public-exposure", "--trusted-account", "abc")
	if code != 2 || !strings.Contains(stderr, `--trusted-account "abc": want a 12-digit account id`) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

// The page the command writes for the two accounts renders in a browser:
// the drawing holds every entry's edge, the filter script runs without a
// console error, and a function filter from the link applies.
func TestReportCrossAccountHTMLInBrowser(t *testing.T) {
	browser := browsertest.Chromium(t)
	page := filepath.Join(t.TempDir(), "cross-account.html")
	args := append(append([]string{"report", "cross-account"}, orgSnapshots(t)...), "--config", "testdata/crossaccount/.lambdacheck.hcl", "--format", "html", "--output", page)
	if _, stderr, code := runCLI(t, "", args...); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	dom, log := browsertest.Render(t, browser, page, "")
	if errs := browsertest.ConsoleErrors(log); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	if !strings.Contains(dom, "<svg") || strings.Count(dom, "<line data-edge") != 9 || !strings.Contains(dom, "9 entries shown") {
		t.Errorf("rendered page: svg %v, %d edges\n%s", strings.Contains(dom, "<svg"), strings.Count(dom, "<line data-edge"), dom)
	}
	dom, _ = browsertest.Render(t, browser, page, "function=aws_lambda_function.ingest")
	if !strings.Contains(dom, "1 entry shown") {
		t.Errorf("function filter from the link:\n%s", dom)
	}
}

// One account's snapshot alone: the data account is an outside one until
// --org-account names it as the organization's.
func TestReportCrossAccountOrgAccountFlag(t *testing.T) {
	app := orgSnapshots(t)[0]
	group := func(extra ...string) string {
		t.Helper()
		out, stderr, code := runCLI(t, "", append([]string{"report", "cross-account", app, "--format", "csv"}, extra...)...)
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, ",outbound,") && strings.Contains(line, "acme-ingest") {
				return strings.Split(line, ",")[2]
			}
		}
		t.Fatalf("no outbound entry for the data account's queue:\n%s", out)
		return ""
	}
	if g := group(); g != "outside" {
		t.Errorf("alone: group %s, want outside", g)
	}
	if g := group("--org-account", "222222222222"); g != "organization" {
		t.Errorf("with --org-account: group %s, want organization", g)
	}
}
