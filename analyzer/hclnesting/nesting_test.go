package hclnesting

import (
	"strings"
	"testing"
)

func TestNestingScanAcceptsShallowFiles(t *testing.T) {
	many := func(s string) string { return strings.Repeat(s, 2*Max) }
	cases := []struct{ name, file, src string }{
		{"just under the limit", "a.tf", "x = " + strings.Repeat("(", Max-1) + "1" + strings.Repeat(")", Max-1) + "\n"},
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
			if diags := Check([]byte(c.src), c.file); diags != nil {
				t.Fatalf("refused: %v", diags)
			}
		})
	}
	if diags := CheckTemplate([]byte("a "+many("(")+" ${x}\n%{ if y }z%{ endif }"), "t.tpl"); diags != nil {
		t.Fatalf("template refused: %v", diags)
	}
	if diags := CheckTemplate([]byte(strings.Repeat("${(", 1000)), "t.tpl"); !diags.HasErrors() {
		t.Fatal("deep template accepted")
	}
}
