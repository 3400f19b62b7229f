package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/diff"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/simulator/eventtrace"
)

func TestJudgeSettingsOptions(t *testing.T) {
	s := pipeline.DefaultJudgeSettings()
	s.Today, s.MemoryMiB = "2026-06-01", 64
	o, err := s.Options()
	if err != nil {
		t.Fatal(err)
	}
	if !o.Today.Equal(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)) || o.Memory != 64<<20 || o.FailOn != "high" || o.Timeout != rules.DefaultTimeout {
		t.Errorf("options = %+v", o)
	}
	for _, c := range []struct {
		change func(*pipeline.JudgeSettings)
		want   string
	}{
		{func(s *pipeline.JudgeSettings) { s.Today = "tomorrow" }, `--today "tomorrow": want YYYY-MM-DD`},
		{func(s *pipeline.JudgeSettings) { s.Timeout = 0 }, "--rule-timeout 0s: want a positive duration"},
		{func(s *pipeline.JudgeSettings) { s.MemoryMiB = 0 }, "--rule-memory 0: want a positive number of MiB"},
		{func(s *pipeline.JudgeSettings) { s.MemoryMiB = 1<<30 + 1 }, "--rule-memory 1073741825: want a positive number of MiB"},
	} {
		s := pipeline.DefaultJudgeSettings()
		c.change(&s)
		if _, err := s.Options(); err == nil || err.Error() != c.want {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	if err := pipeline.CheckDepth(0); err == nil || !strings.HasPrefix(err.Error(), "--depth 0: want at least 1") {
		t.Errorf("depth 0: %v", err)
	}
	if err := pipeline.CheckDepth(1); err != nil {
		t.Errorf("depth 1: %v", err)
	}
	if got := pipeline.DefaultPaths(nil); len(got) != 1 || got[0] != "." {
		t.Errorf("default paths = %v", got)
	}
}

// The gate counts the unwaived findings at or above the threshold, by
// severity, most severe first.
func TestJudgementGate(t *testing.T) {
	th, err := rules.ParseThreshold("high")
	if err != nil {
		t.Fatal(err)
	}
	j := &pipeline.Judgement{Threshold: th, Findings: []rules.Finding{
		{Rule: "LC001", Severity: rules.High}, {Rule: "LC002", Severity: rules.Critical}, {Rule: "LC003", Severity: rules.High},
		{Rule: "LC004", Severity: rules.Low}, {Rule: "LC005", Severity: rules.Critical, Suppressed: &rules.Suppression{Kind: "baseline"}},
	}}
	if err := j.Gate(); err == nil || err.Error() != "3 finding(s) at or above --fail-on high (1 critical, 2 high)" {
		t.Errorf("gate = %v", err)
	}
	j.Findings = j.Findings[3:]
	if err := j.Gate(); err != nil {
		t.Errorf("nothing failing: %v", err)
	}
}

func TestRulesAndTheirTests(t *testing.T) {
	list, err := pipeline.Rules(context.Background(), nil)
	if err != nil || len(list) == 0 {
		t.Fatalf("built-in rules: %d, %v", len(list), err)
	}
	res, err := pipeline.TestRules(context.Background(), nil, "broken_trigger")
	if err != nil || len(res) == 0 {
		t.Fatalf("built-in rule tests: %d, %v", len(res), err)
	}
	if err := pipeline.RuleTestsVerdict(res); err != nil {
		t.Errorf("built-in tests fail: %v", err)
	}
	if err := pipeline.RuleTestsVerdict(nil); err == nil || err.Error() != "no test_ rules found" {
		t.Errorf("no tests: %v", err)
	}
	res[0].Pass = false
	if err := pipeline.RuleTestsVerdict(res); err == nil || err.Error() != "1 Rego test(s) failed" {
		t.Errorf("one failing: %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x_test.rego"), []byte("package lambdacheck.rules.x_test\n\nimport data.lambdacheck.lib\n\ntest_x if { true }\n"), 0o644)
	res, err = pipeline.TestRules(context.Background(), []string{dir}, "")
	if err != nil || len(res) != 1 || !res[0].Pass {
		t.Errorf("a custom directory's tests, beside the built-in helpers: %+v, %v", res, err)
	}
}

// Diff runs and judges both sides, tells Loaded of each, and compares them;
// the comparison's gate refuses what the classes name.
func TestDiff(t *testing.T) {
	judge, err := pipeline.DefaultJudgeSettings().Options()
	if err != nil {
		t.Fatal(err)
	}
	loaded := 0
	o := pipeline.DiffOptions{
		Base: "../../fixtures/thumbnails", Head: "../../fixtures/public-exposure",
		Run:    pipeline.Options{MaxDepth: 4, Judge: judge},
		Loaded: func(res *pipeline.Result, err error) error { loaded++; return err },
	}
	c, err := pipeline.Diff(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if loaded != 2 || c.Head == nil || len(c.Diff.Flows) == 0 || len(c.NewFindings) != len(c.Diff.New) || len(c.NewFindings) == 0 {
		t.Fatalf("loaded %d, comparison %+v", loaded, c)
	}
	if err := c.Diff.Refuse([]diff.Class{diff.Any}, "any"); err == nil || !strings.Contains(err.Error(), "refused by --fail-on-new any:") {
		t.Errorf("refusal = %v", err)
	}
	o.Base = o.Head
	if c, err = pipeline.Diff(context.Background(), o); err != nil || len(c.Diff.Flows) != 0 || c.Diff.Refuse([]diff.Class{diff.Any}, "any") != nil {
		t.Errorf("a side against itself: %+v, %v", c, err)
	}
	o.Base = filepath.Join(t.TempDir(), "missing")
	if _, err = pipeline.Diff(context.Background(), o); err == nil || !strings.HasPrefix(err.Error(), o.Base+": ") {
		t.Errorf("an error names its side: %v", err)
	}
	o.GitBase = "HEAD"
	o.Head = t.TempDir()
	if _, err = pipeline.Diff(context.Background(), o); err == nil || !strings.HasPrefix(err.Error(), "--git-base: ") {
		t.Errorf("a revision outside a repository: %v", err)
	}
}

// Trace follows a shorthand event through the simulated flows, after
// telling Loaded of the run.
func TestTrace(t *testing.T) {
	in := eventtrace.Input{Shorthand: eventtrace.Shorthand{S3Event: "ObjectCreated:Put", Bucket: "acme-photos-uploads", Key: "uploads/a.jpg", Bus: "default"}}
	told := false
	tr, err := pipeline.Trace(context.Background(), pipeline.Options{Paths: []string{"../../fixtures/thumbnails"}, MaxDepth: 4}, in, func(*pipeline.Result) { told = true })
	if err != nil || !told || tr == nil || len(tr.Triggers) == 0 {
		t.Fatalf("trace %+v, told %v, %v", tr, told, err)
	}
	in.Bucket = ""
	if _, err := pipeline.Trace(context.Background(), pipeline.Options{Paths: []string{"../../fixtures/thumbnails"}, MaxDepth: 4}, in, nil); err == nil {
		t.Error("an S3 event without its bucket is traced")
	}
}
