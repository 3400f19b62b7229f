package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// TestCodeQualityRequiredFields checks every issue against the fields
// GitLab documents as required for a Code Quality report: description,
// check_name, fingerprint (unique), severity (info, minor, major,
// critical or blocker), location.path and location.lines.begin.
func TestCodeQualityRequiredFields(t *testing.T) {
	r := sampleReport(t, "high")
	// A finding with no file, and two that share a fingerprint.
	r.Findings = append(r.Findings,
		rules.Finding{Rule: "LC004", ShortCode: "public-invoke", Severity: rules.Critical, Message: "m", Address: "arn:aws:lambda:eu-west-1:123456789012:function:f", Fingerprint: "dup"},
		rules.Finding{Rule: "LC004", ShortCode: "public-invoke", Severity: rules.Low, Message: "n", Address: "a", Span: loc.At("x.tf", 3), Fingerprint: "dup"},
	)
	var b bytes.Buffer
	if err := FindingsCodeQuality(&b, r); err != nil {
		t.Fatal(err)
	}
	var issues []map[string]any
	if err := json.Unmarshal(b.Bytes(), &issues); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, b.String())
	}
	if want := len(r.open()); len(issues) != want {
		t.Fatalf("%d issues, want %d (the open findings)", len(issues), want)
	}
	severities := map[string]bool{"info": true, "minor": true, "major": true, "critical": true, "blocker": true}
	fingerprints := map[string]bool{}
	for i, is := range issues {
		for _, k := range []string{"description", "check_name", "fingerprint", "severity"} {
			if s, ok := is[k].(string); !ok || s == "" {
				t.Errorf("issue %d: %s is %v, want a non-empty string", i, k, is[k])
			}
		}
		if !severities[is["severity"].(string)] {
			t.Errorf("issue %d: severity %q", i, is["severity"])
		}
		fp := is["fingerprint"].(string)
		if fingerprints[fp] {
			t.Errorf("issue %d: fingerprint %q repeated", i, fp)
		}
		fingerprints[fp] = true
		loc, _ := is["location"].(map[string]any)
		if p, ok := loc["path"].(string); !ok || p == "" {
			t.Errorf("issue %d: location.path is %v", i, loc["path"])
		}
		lines, _ := loc["lines"].(map[string]any)
		if begin, ok := lines["begin"].(float64); !ok || begin < 1 || begin != float64(int(begin)) {
			t.Errorf("issue %d: location.lines.begin is %v, want a line number", i, lines["begin"])
		}
	}
	// The first sample finding: its file under the path prefix, its line.
	first := r.open()[0]
	loc := issues[0]["location"].(map[string]any)
	if loc["path"] != r.Path(first) || loc["lines"].(map[string]any)["begin"] != float64(first.Line) {
		t.Errorf("first issue at %v, want %s:%d", loc, r.Path(first), first.Line)
	}

	// No findings: an empty array, not null.
	b.Reset()
	if err := FindingsCodeQuality(&b, &Findings{}); err != nil {
		t.Fatal(err)
	}
	if got := bytes.TrimSpace(b.Bytes()); string(got) != "[]" {
		t.Errorf("no findings: %s, want []", got)
	}
}
