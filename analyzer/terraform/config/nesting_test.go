package config

import (
	"fmt"
	"strings"
	"testing"
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
			if d.Summary != "Nesting too deep" || !strings.Contains(d.Detail, fmt.Sprint(MaxNesting)) || !strings.Contains(d.Detail, "nesting limit") {
				t.Errorf("diagnostic %q / %q does not name the limit", d.Summary, d.Detail)
			}
			if d.Subject == nil || d.Subject.Filename != c.file || d.Subject.Start.Line != c.line {
				t.Errorf("diagnostic at %v, want %s:%d", d.Subject, c.file, c.line)
			}
		})
	}
}

func TestNestingScanAcceptsShallowFiles(t *testing.T) {
	many := func(s string) string { return strings.Repeat(s, 2*MaxNesting) }
	cases := []struct{ name, file, src string }{
		{"just under the limit", "a.tf", "x = " + strings.Repeat("(", MaxNesting-1) + "1" + strings.Repeat(")", MaxNesting-1) + "\n"},
		{"brackets in a string", "a.tf", `x = "` + many("((") + `"` + "\n"},
		{"escaped quote in a string", "a.tf", `x = "\"` + many("(") + `"` + "\n"},
		{"literal interpolation", "a.tf", `x = "` + many("$${") + `"` + "\n"},
		{"brackets in comments", "a.tf", "# " + many("(") + "\n// " + many("[") + "\n/* " + many("{") + "\n" + many("-") + " */\nx = 1\n"},
		{"brackets in a heredoc", "a.tf", "x = <<-EOT\n  " + many("(") + "\n  EOT\ny = 1\n"},
		{"conditionals in a list", "a.tf", "x = [" + many("a ? 1 : 2, ") + "]\n"},
		{"conditionals on lines", "a.tf", "locals {\n" + many("x = a ? 1 : 2\n") + "}\n"},
		{"subtractions", "a.tf", "x = " + many("a - ") + "1\n"},
		{"json strings", "a.tf.json", `{"x": "` + many("()") + `"}`},
		{"json siblings", "a.tf.json", `{"x": [` + strings.TrimSuffix(many("[1],"), ",") + `]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diags := CheckNesting([]byte(c.src), c.file); diags != nil {
				t.Fatalf("refused: %v", diags)
			}
		})
	}
	if diags := CheckTemplateNesting([]byte("a "+many("(")+" ${x}\n%{ if y }z%{ endif }"), "t.tpl"); diags != nil {
		t.Fatalf("template refused: %v", diags)
	}
	if diags := CheckTemplateNesting([]byte(strings.Repeat("${(", 1000)), "t.tpl"); !diags.HasErrors() {
		t.Fatal("deep template accepted")
	}
}
