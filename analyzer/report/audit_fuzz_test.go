package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/audit"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Text from the input (addresses, principals, conditions) cannot change
// the shape of a report: the CSV keeps one row of 13 cells per entry and no
// cell a spreadsheet would run as a formula, the HTML page keeps its one
// script, and every Markdown entry stays one table row.
func FuzzAuditFormats(f *testing.F) {
	f.Add("aws_lambda_function.api", "444455556666", "aws:PrincipalOrgID must equal o-a1b2c3d4e5")
	f.Add("=HYPERLINK(\"x\")", "<script>alert(1)</script>", "a|b\nc")
	f.Add("-1+1", "@sum", "</td></tr><tr><td>")
	f.Fuzz(func(t *testing.T, function, who, cond string) {
		a := &audit.Audit{
			Functions: []audit.Function{{Function: function, Inbound: map[string]int{}}},
			Entries: []audit.Entry{
				{Function: function, Direction: "inbound", Group: audit.GroupOutside, Who: who, Account: who, Reach: "account", Actions: []string{"lambda:InvokeFunction"}, Decision: flow.Allowed,
					Granted: []audit.Grant{{Statement: "p#" + who, Layer: "resource", Conditions: []string{cond}}}},
				{Function: function, Direction: "outbound", Group: audit.GroupOutside, Who: who, Level: "Write", Actions: []string{cond}, Decision: flow.Conditional},
			},
		}
		r := &Report{Audit: a}
		var buf bytes.Buffer
		if err := auditCSV(&buf, r); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("csv: %v, %d rows", err, len(rows))
		}
		for _, row := range rows {
			if len(row) != 13 {
				t.Fatalf("csv row of %d cells", len(row))
			}
			for _, c := range row {
				if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
					t.Fatalf("csv cell %q would be a formula", c)
				}
			}
		}
		buf.Reset()
		if err := auditHTML(&buf, r); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(strings.ToLower(buf.String()), "<script"); n != 1 {
			t.Fatalf("html has %d scripts", n)
		}
		if n := strings.Count(buf.String(), "<tr data-entry"); n != 2 {
			t.Fatalf("html has %d entry rows", n)
		}
		buf.Reset()
		if err := auditMarkdown(&buf, r); err != nil {
			t.Fatal(err)
		}
		rowsMD := 0
		_, entries, _ := strings.Cut(buf.String(), "\n## Invoked by")
		for _, line := range strings.Split(entries, "\n") {
			if strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| Function |") {
				rowsMD++
			}
		}
		if rowsMD != 2 {
			t.Fatalf("markdown has %d entry rows:\n%s", rowsMD, buf.String())
		}
	})
}
