package iam

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDecisions walks AWS's documented evaluation logic with the cases in
// testdata/decisions/*.jsonl. Each line is a batch case plus
// "name" (the rule it checks, citing the AWS documentation page), "expect"
// (Allowed, ExplicitlyDenied, ImplicitlyDenied or Conditional), and
// optionally "unknown" (context keys whose values are unknown) and
// "expectStatements" (the policy names and statement indexes that decide,
// e.g. "identityPolicies[0]#1"), and "lenient" (decode with
// ParseOptions.Lenient, as `authz --lenient` does).
func TestDecisions(t *testing.T) {
	files, err := filepath.Glob("testdata/decisions/*.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no decision cases found")
	}
	total := 0
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		lineNo := 0
		for sc.Scan() {
			lineNo++
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 || line[0] == '#' {
				continue
			}
			var meta struct {
				Name             string   `json:"name"`
				Expect           string   `json:"expect"`
				Unknown          []string `json:"unknown"`
				ExpectStatements []string `json:"expectStatements"`
				ExpectError      string   `json:"expectError"`
				Lenient          bool     `json:"lenient"`
			}
			if err := json.Unmarshal(line, &meta); err != nil {
				t.Fatalf("%s:%d: %v", file, lineNo, err)
			}
			if meta.Name == "" || (meta.Expect == "" && meta.ExpectError == "") {
				t.Fatalf("%s:%d: every case needs name and expect (or expectError)", file, lineNo)
			}
			total++
			name := filepath.Base(file) + "/" + meta.Name
			data := append([]byte(nil), line...)
			t.Run(name, func(t *testing.T) {
				c, err := DecodeCaseWith(data, ParseOptions{Lenient: meta.Lenient})
				if meta.ExpectError != "" {
					if err == nil {
						t.Fatalf("%s:%d: want error containing %q, got none", file, lineNo, meta.ExpectError)
					}
					if !strings.Contains(err.Error(), meta.ExpectError) {
						t.Fatalf("%s:%d: want error containing %q, got %v", file, lineNo, meta.ExpectError, err)
					}
					return
				}
				if err != nil {
					t.Fatalf("%s:%d: %v", file, lineNo, err)
				}
				for _, k := range meta.Unknown {
					c.Request.Context.SetUnknown(k)
				}
				res := c.Authorize()
				if got := res.Decision.String(); got != meta.Expect {
					t.Fatalf("%s:%d: decision %s, want %s (reason: %s)", file, lineNo, got, meta.Expect, res.Reason)
				}
				if meta.ExpectStatements != nil {
					var got []string
					for _, m := range res.Matches {
						got = append(got, m.Statement.Policy.Name+"#"+itoa(m.Statement.Index))
					}
					if strings.Join(got, ",") != strings.Join(meta.ExpectStatements, ",") {
						t.Fatalf("%s:%d: deciding statements %v, want %v", file, lineNo, got, meta.ExpectStatements)
					}
				}
			})
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		f.Close()
	}
	t.Logf("%d decision cases", total)
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
