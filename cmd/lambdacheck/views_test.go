package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSimulateViews(t *testing.T) {
	const dir = "../../fixtures/public-exposure"
	all, _, code := runMain(t, "", "simulate", dir, "--fail-on", "none")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	explicitAll, _, _ := runMain(t, "", "simulate", dir, "--fail-on", "none", "--view", "all")
	if all != explicitAll {
		t.Error("off a terminal the default differs from --view all")
	}
	verdict := "6 finding(s): 2 critical, 4 high, 0 medium, 0 low; --fail-on none"
	cases := []struct {
		args          []string
		want, wantNot []string
	}{
		{[]string{"--view", "all"}, []string{"Invocation flows", "Reach from outside", "Findings", "CRITICAL (2)", verdict}, []string{"Functions ("}},
		{[]string{"--view", "flows"}, []string{"Invocation flows", "Chains and loops"}, []string{"Findings", verdict}},
		{[]string{"--view", "findings"}, []string{"CRITICAL (2)", verdict}, []string{"Invocation flows", "Functions ("}},
		{[]string{"--quiet"}, []string{"CRITICAL (2)", verdict}, []string{"Invocation flows", "Functions ("}},
		{[]string{"--view", "summary"}, []string{"Functions (6)", "CROSS-ACCOUNT", verdict}, []string{"Invocation flows", "CRITICAL (2)"}},
	}
	for _, c := range cases {
		out, errOut, code := runMain(t, "", append([]string{"simulate", dir, "--fail-on", "none"}, c.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", c.args, code, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", c.args, w, out)
			}
		}
		for _, w := range c.wantNot {
			if strings.Contains(out, w) {
				t.Errorf("%v: output has %q:\n%s", c.args, w, out)
			}
		}
	}

	summary, _, _ := runMain(t, "", "simulate", dir, "--fail-on", "none", "--view", "summary")
	for _, line := range []struct{ fn, cells string }{
		{"aws_lambda_function.webhook ", "│ yes    │ no            │"},
		{"aws_lambda_function.partner_sync ", "│ no     │ yes           │"},
		{"aws_lambda_function.public_report ", "0 ok, 0 broken, 1 unclear │ Write 2, Read 2 │ maybe  │ no"},
		{"aws_lambda_function.thumbnailer ", "1 ok, 0 broken "},
	} {
		found := false
		for _, l := range strings.Split(summary, "\n") {
			if strings.Contains(l, line.fn) {
				found = true
				if !strings.Contains(l, line.cells) {
					t.Errorf("summary line of %s lacks %q:\n%s", line.fn, line.cells, l)
				}
			}
		}
		if !found {
			t.Errorf("summary has no line for %s:\n%s", line.fn, summary)
		}
	}

	for _, bad := range [][]string{
		{"--view", "everything"},
		{"--view", "summary", "--format", "json"},
		{"--view", "summary", "--quiet"},
	} {
		_, errOut, code := runMain(t, "", append([]string{"simulate", dir}, bad...)...)
		if code != 2 || !strings.Contains(errOut, "--view") {
			t.Errorf("%v: exit %d, stderr %q", bad, code, errOut)
		}
	}
}

func TestSimulateCodeQuality(t *testing.T) {
	out, errOut, code := runMain(t, "", "simulate", "../../fixtures/public-exposure", "--format", "codequality")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (findings at high)\n%s", code, errOut)
	}
	var issues []struct {
		CheckName string `json:"check_name"`
		Severity  string `json:"severity"`
		Location  struct {
			Path  string `json:"path"`
			Lines struct {
				Begin int `json:"begin"`
			} `json:"lines"`
		} `json:"location"`
	}
	if err := json.Unmarshal([]byte(out), &issues); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(issues) != 6 {
		t.Fatalf("%d issues, want the 6 findings", len(issues))
	}
	for _, is := range issues {
		if !strings.HasPrefix(is.Location.Path, "fixtures/public-exposure/") || is.Location.Lines.Begin < 1 {
			t.Errorf("%s at %s:%d, want a file of the fixture relative to the repository", is.CheckName, is.Location.Path, is.Location.Lines.Begin)
		}
	}
}

func TestSimulateGitLabSAST(t *testing.T) {
	out, errOut, code := runMain(t, "", "simulate", "../../fixtures/public-exposure", "--format", "gitlab-sast")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (findings at high)\n%s", code, errOut)
	}
	var rep struct {
		Scan struct {
			Type      string `json:"type"`
			StartTime string `json:"start_time"`
		} `json:"scan"`
		Vulnerabilities []struct {
			Location struct {
				File      string `json:"file"`
				StartLine int    `json:"start_line"`
			} `json:"location"`
		} `json:"vulnerabilities"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Scan.Type != "sast" || rep.Scan.StartTime == "" {
		t.Errorf("scan = %+v", rep.Scan)
	}
	if len(rep.Vulnerabilities) != 6 {
		t.Fatalf("%d vulnerabilities, want the 6 findings", len(rep.Vulnerabilities))
	}
	for _, v := range rep.Vulnerabilities {
		if !strings.HasPrefix(v.Location.File, "fixtures/public-exposure/") || v.Location.StartLine < 1 {
			t.Errorf("located at %s:%d, want a file of the fixture relative to the repository", v.Location.File, v.Location.StartLine)
		}
	}
}
