package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/audit"
	"github.com/lambdacheck/lambdacheck/internal/browsertest"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

func browserAudit() *audit.Audit {
	g := []audit.Grant{{Statement: "resource-policy#AllowOrg", Layer: "resource", File: "main.tf", Line: 4, Conditions: []string{"aws:PrincipalOrgID must equal o-acme000001"}}}
	return &audit.Audit{
		OrgID: "o-acme000001", Accounts: []string{"111111111111"}, Trusted: []string{"444455556666"},
		Functions: []audit.Function{{Function: "aws_lambda_function.api"}, {Function: "aws_lambda_function.hook"}},
		Entries: []audit.Entry{
			{Function: "aws_lambda_function.api", Direction: "inbound", Group: audit.GroupOrganization, Who: "o-acme000001", Reach: "organization", Actions: []string{"lambda:InvokeFunction"}, Decision: flow.Allowed, Granted: g},
			{Function: "aws_lambda_function.api", Direction: "inbound", Group: audit.GroupOutside, Who: "444455556666", Account: "444455556666", Trusted: true, Reach: "account", Actions: []string{"lambda:InvokeFunction"}, Decision: flow.Conditional},
			{Function: "aws_lambda_function.api", Direction: "outbound", Group: audit.GroupOutside, Who: "arn:aws:sqs:eu-west-1:999988887777:q", Account: "999988887777", Level: "Write", Actions: []string{"sqs:SendMessage"}, Decision: flow.Allowed},
			{Function: "aws_lambda_function.hook", Direction: "inbound", Group: audit.GroupPublic, Who: "*", Reach: "public", Actions: []string{"lambda:InvokeFunction"}, Decision: flow.Allowed},
			// Text from the input stays text.
			{Function: "aws_lambda_function.hook", Direction: "inbound", Group: audit.GroupService, Who: `<script>alert(1)</script>"`, Reach: "service", Actions: []string{"lambda:InvokeFunction"}, Decision: flow.Allowed},
		},
	}
}

// The HTML report renders in a real browser: the drawing is there, the
// filter script runs without an error, and a preselected filter hides the
// other groups' rows and edges.
func TestAuditHTMLRendersInBrowser(t *testing.T) {
	browser := browsertest.Chromium(t)
	var buf bytes.Buffer
	if err := auditHTML(&buf, &Report{Audit: browserAudit()}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	dom, log := browsertest.Render(t, browser, file, "")
	if errs := browsertest.ConsoleErrors(log); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	for _, want := range []string{"<svg", "<line", "aws_lambda_function.api</text>", "5 entries shown", `data-filtered="|"`, "&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}

	dom, log = browsertest.Render(t, browser, file, "group=public")
	if errs := browsertest.ConsoleErrors(log); len(errs) > 0 {
		t.Errorf("console errors with a filter:\n%s", strings.Join(errs, "\n"))
	}
	if !strings.Contains(dom, "1 entry shown") || !strings.Contains(dom, `data-filtered="public|"`) {
		t.Errorf("the public filter did not apply:\n%s", dom)
	}
	rows := regexp.MustCompile(`<tr data-entry="" data-group="(\w+)"[^>]*?(style="display: none;")?>`).FindAllStringSubmatch(dom, -1)
	if len(rows) != 5 {
		t.Fatalf("%d rows in the rendered page, want 5", len(rows))
	}
	for _, r := range rows {
		if hidden := r[2] != ""; hidden == (r[1] == "public") {
			t.Errorf("row of group %s: hidden %v", r[1], hidden)
		}
	}
	edges := regexp.MustCompile(`<line data-edge="" data-group="(\w+)"[^>]*>`).FindAllStringSubmatch(dom, -1)
	for _, e := range edges {
		if hidden := strings.Contains(e[0], "display: none"); hidden == (e[1] == "public") {
			t.Errorf("edge of group %s: hidden %v", e[1], hidden)
		}
	}
}

// The log check catches a script error: without this, a browser that logs
// elsewhere would let a broken page pass.
func TestBrowserLogShowsScriptErrors(t *testing.T) {
	browser := browsertest.Chromium(t)
	file := filepath.Join(t.TempDir(), "broken.html")
	if err := os.WriteFile(file, []byte("<!DOCTYPE html><html><body><p>x</p><script>notDefined();</script></body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, log := browsertest.Render(t, browser, file, "")
	if len(browsertest.ConsoleErrors(log)) == 0 {
		t.Errorf("a script error left no console line in the log:\n%s", log)
	}
}
