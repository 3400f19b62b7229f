package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

type gitlabDoc struct {
	Scan struct {
		StartTime string `json:"start_time"`
		EndTime   string `json:"end_time"`
	} `json:"scan"`
	Vulnerabilities []struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
		Severity    string `json:"severity"`
		Identifiers []struct {
			Value string `json:"value"`
		} `json:"identifiers"`
		Location struct {
			File      string `json:"file"`
			StartLine int    `json:"start_line"`
		} `json:"location"`
	} `json:"vulnerabilities"`
}

func TestGitLabSAST(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("testdata/gitlab-sast-subset.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	long := strings.Repeat("é", 300)
	for _, tc := range []struct {
		name string
		r    *Findings
		// want are "rule file:line severity" per vulnerability, in order.
		want []string
	}{
		{"open_findings_only", withTimes(sampleReport(t, "high"), start), []string{
			"LC004 infra/app/main.tf:12 Critical", "LC001 infra/app/s3.tf:4 High", "LC016 infra/app/main.tf:3 Low"}},
		{"no_findings", &Findings{}, nil},
		{"no_file_falls_back_to_snapshot", &Findings{FallbackPath: "snapshots/prod.json", Findings: []rules.Finding{
			{Rule: "LC004", Severity: rules.Medium, Message: "m", Address: "arn:aws:lambda:eu-west-1:123456789012:function:f", Fingerprint: "x"},
		}}, []string{"LC004 snapshots/prod.json:1 Medium"}},
		{"no_file_no_snapshot", &Findings{Findings: []rules.Finding{
			{Rule: "LC004", Severity: rules.Low, Message: "m", Fingerprint: "x"},
		}}, []string{"LC004 .:1 Low"}},
		{"same_fingerprint_twice_and_long_title", &Findings{PathPrefix: "infra", Findings: []rules.Finding{
			{Rule: "LC001", Title: long, Severity: rules.High, Message: "a", Span: loc.At("a.tf", 1), Fingerprint: "same"},
			{Rule: "LC001", Title: long, Severity: rules.High, Message: "b", Span: loc.At("a.tf", 9), Fingerprint: "same"},
		}}, []string{"LC001 infra/a.tf:1 High", "LC001 infra/a.tf:9 High"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := FindingsGitLabSAST(&b, tc.r); err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(doc); err != nil {
				t.Fatalf("report does not validate: %v\n%s", err, b.String())
			}
			var got gitlabDoc
			if err := json.Unmarshal(b.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			var lines []string
			ids := map[string]bool{}
			for _, v := range got.Vulnerabilities {
				lines = append(lines, v.Identifiers[0].Value+" "+v.Location.File+":"+itoa(v.Location.StartLine)+" "+v.Severity)
				if ids[v.ID] {
					t.Errorf("id %s is not unique", v.ID)
				}
				ids[v.ID] = true
			}
			if strings.Join(lines, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("vulnerabilities:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(tc.want, "\n"))
			}
			if tc.name == "open_findings_only" && got.Scan.StartTime != "2026-03-01T09:00:00" {
				t.Errorf("start_time %q, want the run's start in UTC", got.Scan.StartTime)
			}
		})
	}
}

// The vulnerability id is derived from the fingerprint: the same finding
// keeps its id from one pipeline to the next, whatever its line.
func TestGitLabSASTIDIsStable(t *testing.T) {
	id := func(line int) string {
		var b bytes.Buffer
		r := &Findings{Findings: []rules.Finding{{Rule: "LC001", Severity: rules.High, Message: "m", Span: loc.At("a.tf", line), Fingerprint: "fp"}}}
		if err := FindingsGitLabSAST(&b, r); err != nil {
			t.Fatal(err)
		}
		var got gitlabDoc
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		return got.Vulnerabilities[0].ID
	}
	if a, b := id(3), id(40); a != b {
		t.Errorf("id changed with the line: %s vs %s", a, b)
	}
}

func withTimes(r *Findings, start time.Time) *Findings {
	r.Started, r.Finished = start, start.Add(2*time.Second)
	return r
}

// A finding that knows its block's last line is located at the whole
// block: SARIF region columns and end, Code Quality lines.end, GitLab
// end_line (neither of GitLab's formats has columns).
func TestFindingsSpanTheirBlock(t *testing.T) {
	r := &Findings{Findings: []rules.Finding{
		{Rule: "LC004", Severity: rules.High, Message: "m", Span: loc.Span{File: "main.tf", Line: 10, Column: 3, EndLine: 16, EndColumn: 4}, Fingerprint: "a"},
		{Rule: "LC001", Severity: rules.High, Message: "n", Span: loc.At("main.tf", 20), Fingerprint: "b"},
	}}
	var sarifOut, cq, gl bytes.Buffer
	if err := FindingsSARIF(&sarifOut, r); err != nil {
		t.Fatal(err)
	}
	if err := FindingsCodeQuality(&cq, r); err != nil {
		t.Fatal(err)
	}
	if err := FindingsGitLabSAST(&gl, r); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, out string
		want      []string
		notWant   string
	}{
		{"sarif", sarifOut.String(), []string{`"endLine": 16`, `"startLine": 10`, `"startColumn": 3`, `"endColumn": 4`, `"startLine": 20`}, `"endLine": 20`},
		{"codequality", cq.String(), []string{`"begin": 10`, `"end": 16`, `"begin": 20`}, `"end": 20`},
		{"gitlab-sast", gl.String(), []string{`"start_line": 10`, `"end_line": 16`, `"start_line": 20`}, `"end_line": 20`},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.out, w) {
				t.Errorf("%s lacks %s:\n%s", c.name, w, c.out)
			}
		}
		if strings.Contains(c.out, c.notWant) {
			t.Errorf("%s: a one-line finding got an end line:\n%s", c.name, c.out)
		}
	}
}
