package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/hclnesting"
)

func TestParseFileRefusesDeepNestingBeforeParsing(t *testing.T) {
	const n = 100000 // deep enough to exhaust the stack if the parser saw it
	deep := func(open, mid, close string) string {
		return strings.Repeat(open, n) + mid + strings.Repeat(close, n)
	}
	cases := []struct {
		name, file, src string
		line            int
	}{
		{"parentheses", "a.tf", "locals {\n  ok = 1\n  x = " + deep("(", "1", ")") + "\n}\n", 3},
		{"brackets", "a.tf", "x = " + deep("[", "1", "]") + "\n", 1},
		{"objects", "a.tf", "x = " + deep("{a=", "1", "}") + "\n", 1},
		{"interpolations", "a.tf", "x = " + deep(`"${`, "1", `}"`) + "\n", 1},
		{"heredoc interpolations", "a.tf", "x = <<EOT\n" + deep("${(", "1", ")}") + "\nEOT\n", 2},
		{"unary operators", "a.tf", "x = " + strings.Repeat("!", n) + "true\n", 1},
		{"spaced unary operators", "a.tf", "x = " + strings.Repeat("- ", n) + "1\n", 1},
		{"conditional chain", "a.tf", "x = " + strings.Repeat("a ? 1 : ", n) + "2\n", 1},
		{"json", "a.tf.json", deep(`{"a":`, "1", "}"), 1},
		{"json arrays", "a.tf.json", `{"locals": {"x": ` + deep("[", "1", "]") + "}}", 1},
		{"template in json", "a.tf.json", `{"locals": {"x": "${` + deep("(", "1", ")") + `}"}}`, 1},
		{"tfvars", "terraform.tfvars", "x = " + deep("(", "1", ")") + "\n", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, diags := ParseFile([]byte(c.src), c.file)
			if f != nil || len(diags) != 1 {
				t.Fatalf("got file %v and %d diagnostics, want only the nesting error: %v", f != nil, len(diags), diags)
			}
			d := diags[0]
			if d.Summary != "Nesting too deep" || !strings.Contains(d.Detail, fmt.Sprint(hclnesting.Max)) || !strings.Contains(d.Detail, "nesting limit") {
				t.Errorf("diagnostic %q / %q does not name the limit", d.Summary, d.Detail)
			}
			if d.Subject == nil || d.Subject.Filename != c.file || d.Subject.Start.Line != c.line {
				t.Errorf("diagnostic at %v, want %s:%d", d.Subject, c.file, c.line)
			}
		})
	}
}
