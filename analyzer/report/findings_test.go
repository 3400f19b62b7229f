package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// updateGolden reads -update, registered once by whichever test file of
// the package gets there first.
func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func sampleRules() []rules.Rule {
	return []rules.Rule{
		{ID: "LC001", ShortCode: "broken-trigger", Severity: rules.High, Title: "Broken trigger",
			Description: "An enabled trigger cannot invoke its function.", Remediation: "Add an aws_lambda_permission for the source.",
			Related: []string{"https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html"}},
		{ID: "LC004", ShortCode: "public-invoke", Severity: rules.Critical, Title: "Public invoke",
			Description: "Anyone can invoke the function.", Remediation: "Remove the * principal."},
		{ID: "LC016", ShortCode: "deprecated-runtime", Severity: rules.Low, Title: "Deprecated runtime",
			Description: "The runtime is deprecated.", Remediation: "Upgrade the runtime."},
		{ID: "LC020", ShortCode: "never-fires", Severity: rules.Medium, Title: "Never fires"},
	}
}

func sampleFindings() []rules.Finding {
	return []rules.Finding{
		{Rule: "LC004", ShortCode: "public-invoke", Severity: rules.Critical, Title: "Public invoke",
			Message: "aws_lambda_permission.open lets * invoke acme-api | key <aws_kms_key.k.key_id>", Address: "aws_lambda_permission.open",
			Span: loc.At("main.tf", 12), Flows: []string{"reach/aws_lambda_function.api/public"}, Remediation: "Remove the * principal.", Fingerprint: "f1"},
		{Rule: "LC001", ShortCode: "broken-trigger", Severity: rules.High, Title: "Broken trigger",
			Message: "s3 trigger aws_s3_bucket_notification.in cannot invoke aws_lambda_function.api", Address: "aws_s3_bucket_notification.in",
			Span: loc.At("s3.tf", 4), Flows: []string{"invoke/aws_s3_bucket_notification.in->aws_lambda_function.api"}, Remediation: "Add an aws_lambda_permission for the source.", Fingerprint: "f2"},
		{Rule: "LC016", ShortCode: "deprecated-runtime", Severity: rules.Low, Title: "Deprecated runtime",
			Message: "aws_lambda_function.api runs python3.8", Address: "aws_lambda_function.api",
			Span: loc.At("main.tf", 3), Flows: []string{}, Remediation: "Upgrade the runtime.", Fingerprint: "f3"},
		{Rule: "LC001", ShortCode: "broken-trigger", Severity: rules.High, Title: "Broken trigger",
			Message: "sqs trigger aws_lambda_event_source_mapping.q cannot invoke aws_lambda_function.w", Address: "aws_lambda_event_source_mapping.q",
			Span: loc.At("sqs.tf", 20), Flows: []string{"invoke/aws_lambda_event_source_mapping.q->aws_lambda_function.w"}, Fingerprint: "f4",
			Suppressed: &rules.Suppression{Kind: "inline", Reason: "queue is drained by hand", Where: "sqs.tf:19"}},
		{Rule: "LC004", ShortCode: "public-invoke", Severity: rules.Critical, Title: "Public invoke",
			Message: "arn:aws:lambda:eu-west-1:123456789012:function:live is public", Address: "arn:aws:lambda:eu-west-1:123456789012:function:live",
			Flows: []string{}, Fingerprint: "f5",
			Suppressed: &rules.Suppression{Kind: "baseline", Reason: "accepted in the baseline"}},
	}
}

func sampleReport(t *testing.T, threshold string) *Findings {
	t.Helper()
	th, err := rules.ParseThreshold(threshold)
	if err != nil {
		t.Fatal(err)
	}
	return &Findings{
		Findings: sampleFindings(), Rules: sampleRules(), Threshold: th,
		PathPrefix: "infra/app", Source: "infra/app", ToolVersion: "0.1.0",
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if updateGolden() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden (go test ./analyzer/report -update to accept):\n--- got ---\n%s", name, got)
	}
}

func TestFindingsGolden(t *testing.T) {
	for _, tc := range []struct {
		name      string
		threshold string
		write     func(*bytes.Buffer, *Findings) error
	}{
		{"findings.table.txt", "high", func(b *bytes.Buffer, r *Findings) error { return FindingsTable(b, r) }},
		{"findings.junit.xml", "high", func(b *bytes.Buffer, r *Findings) error { return FindingsJUnit(b, r) }},
		{"findings.md", "high", func(b *bytes.Buffer, r *Findings) error { return FindingsMarkdown(b, r) }},
		{"findings-fail-on-none.md", "none", func(b *bytes.Buffer, r *Findings) error { return FindingsMarkdown(b, r) }},
		{"findings.sarif", "high", func(b *bytes.Buffer, r *Findings) error { return FindingsSARIF(b, r) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b, sampleReport(t, tc.threshold)); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

func TestTableColourOnlyWhenAsked(t *testing.T) {
	r := sampleReport(t, "high")
	var plain, color bytes.Buffer
	if err := FindingsTable(&plain, r); err != nil {
		t.Fatal(err)
	}
	r.Color = true
	if err := FindingsTable(&color, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("escape codes without Color")
	}
	if !strings.Contains(color.String(), "\x1b[1;31mCRITICAL\x1b[0m") || !strings.Contains(color.String(), "\x1b[36mLOW\x1b[0m") {
		t.Errorf("severity headings not coloured:\n%s", color.String())
	}
}

func TestJUnitFollowsTheGate(t *testing.T) {
	for _, tc := range []struct {
		threshold         string
		failures, skipped int
	}{
		// LC004 f1 and LC001 f2 fail at high; f4 and f5 are skipped.
		{"high", 2, 2},
		{"critical", 1, 2},
		{"low", 3, 2},
		{"none", 0, 2},
	} {
		t.Run("fail_on_"+tc.threshold, func(t *testing.T) {
			var b bytes.Buffer
			if err := FindingsJUnit(&b, sampleReport(t, tc.threshold)); err != nil {
				t.Fatal(err)
			}
			head := strings.SplitN(b.String(), "\n", 3)[1]
			want := `<testsuites name="lambdacheck" tests="6" failures="` + itoa(tc.failures) + `" skipped="` + itoa(tc.skipped) + `">`
			if head != want {
				t.Errorf("head = %s\nwant %s", head, want)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestSARIFValidatesAgainstSchema checks the SARIF output against the
// OASIS SARIF 2.1.0 JSON schema (testdata/sarif-schema-2.1.0.json), and
// the parts GitHub code scanning needs to annotate a pull request.
func TestSARIFValidatesAgainstSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.AssertFormat() // uri-reference and friends, as code scanning checks them
	sch, err := c.Compile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		r    *Findings
	}{
		{"with_findings", sampleReport(t, "high")},
		{"no_findings", &Findings{Rules: sampleRules(), Findings: []rules.Finding{}}},
		{"no_rules", &Findings{}},
		{"path_with_space", &Findings{Rules: sampleRules(), PathPrefix: "my infra", Findings: []rules.Finding{
			{Rule: "LC004", ShortCode: "public-invoke", Severity: rules.Critical, Message: "m", Address: "a", Span: loc.At("main [1].tf", 2), Fingerprint: "x", Flows: []string{}},
		}}},
		{"no_file_no_location", &Findings{Rules: sampleRules(), Findings: []rules.Finding{
			{Rule: "LC004", ShortCode: "public-invoke", Severity: rules.Critical, Message: "m", Address: "arn:aws:lambda:eu-west-1:123456789012:function:f", Fingerprint: "x", Flows: []string{}},
		}}},
		{"snapshot_fallback_location", &Findings{Rules: sampleRules(), FallbackPath: "snapshots/prod.json", Findings: []rules.Finding{
			{Rule: "LC004", ShortCode: "public-invoke", Severity: rules.Critical, Message: "m", Address: "arn:aws:lambda:eu-west-1:123456789012:function:f", Fingerprint: "x", Flows: []string{}},
		}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := FindingsSARIF(&b, tc.r); err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(doc); err != nil {
				t.Fatalf("SARIF does not validate: %v\n%s", err, b.String())
			}
			var log struct {
				Runs []struct {
					Tool struct {
						Driver struct {
							Rules []struct {
								ID         string         `json:"id"`
								Properties map[string]any `json:"properties"`
							} `json:"rules"`
						} `json:"driver"`
					} `json:"tool"`
					Results []struct {
						RuleID    string `json:"ruleId"`
						RuleIndex int    `json:"ruleIndex"`
						Locations []struct {
							Physical *struct {
								Artifact struct {
									URI string `json:"uri"`
								} `json:"artifactLocation"`
								Region struct {
									StartLine int `json:"startLine"`
								} `json:"region"`
							} `json:"physicalLocation"`
						} `json:"locations"`
						Suppressions []struct {
							Kind string `json:"kind"`
						} `json:"suppressions"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(b.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			if len(log.Runs) != 1 {
				t.Fatalf("runs = %d", len(log.Runs))
			}
			run := log.Runs[0]
			if len(run.Tool.Driver.Rules) != len(tc.r.Rules) {
				t.Errorf("driver rules = %d, want %d", len(run.Tool.Driver.Rules), len(tc.r.Rules))
			}
			for _, rr := range run.Tool.Driver.Rules {
				if rr.Properties["security-severity"] == nil {
					t.Errorf("rule %s lacks security-severity", rr.ID)
				}
			}
			if tc.name == "path_with_space" {
				if p := run.Results[0].Locations[0].Physical; p == nil || p.Artifact.URI != "my%20infra/main%20%5B1%5D.tf" {
					t.Errorf("escaped location = %+v", p)
				}
				return
			}
			if tc.name == "no_file_no_location" {
				if len(run.Results[0].Locations) != 0 {
					t.Errorf("a location without an artifact is rejected by code scanning: %+v", run.Results[0].Locations)
				}
				return
			}
			if tc.name == "snapshot_fallback_location" {
				if p := run.Results[0].Locations[0].Physical; p == nil || p.Artifact.URI != "snapshots/prod.json" {
					t.Errorf("fallback location = %+v", p)
				}
				return
			}
			if tc.name != "with_findings" {
				return
			}
			if len(run.Results) != 5 {
				t.Fatalf("results = %d, want 5", len(run.Results))
			}
			first := run.Results[0]
			if first.RuleID != "LC004" || run.Tool.Driver.Rules[first.RuleIndex].ID != "LC004" {
				t.Errorf("first result rule %s index %d", first.RuleID, first.RuleIndex)
			}
			if p := first.Locations[0].Physical; p == nil || p.Artifact.URI != "infra/app/main.tf" || p.Region.StartLine != 12 {
				t.Errorf("location = %+v, want infra/app/main.tf:12 relative to the repository root", p)
			}
			if s := run.Results[3].Suppressions; len(s) != 1 || s[0].Kind != "inSource" {
				t.Errorf("inline waiver suppression = %+v", s)
			}
			if s := run.Results[4].Suppressions; len(s) != 1 || s[0].Kind != "external" {
				t.Errorf("baseline suppression = %+v", s)
			}
		})
	}
}

// TestSARIFHasNoMeaninglessDefaults checks that the SARIF log carries no
// -1 placeholder, no empty list or object and none of the specification's
// defaults spelled out, while results stays even when empty.
func TestSARIFHasNoMeaninglessDefaults(t *testing.T) {
	for name, r := range map[string]*Findings{
		"with_findings": sampleReport(t, "high"),
		"no_findings":   {Rules: sampleRules(), Findings: []rules.Finding{}},
	} {
		var b bytes.Buffer
		if err := FindingsSARIF(&b, r); err != nil {
			t.Fatal(err)
		}
		var doc any
		dec := json.NewDecoder(&b)
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, c := range v {
					p := path + "." + k
					if n, ok := c.(json.Number); ok && n.String() == "-1" {
						t.Errorf("%s: %s is -1", name, p)
					}
					if _, ok := sarifDefaults[k]; ok {
						t.Errorf("%s: %s holds a default", name, p)
					}
					if empty(c) && k != "results" {
						t.Errorf("%s: %s is empty", name, p)
					}
					walk(p, c)
				}
			case []any:
				for i, c := range v {
					walk(path+"["+itoa(i)+"]", c)
				}
			}
		}
		walk("", doc)
		runs := doc.(map[string]any)["runs"].([]any)
		if _, ok := runs[0].(map[string]any)["results"]; !ok {
			t.Errorf("%s: the run has no results list", name)
		}
	}
}
