package config

import (
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/hclnesting"
)

// FuzzParseFileNesting checks that no input, deep or not, panics the
// nesting scan or the parse it guards, and that a refused file is refused
// with the nesting diagnostic alone.
func FuzzParseFileNesting(f *testing.F) {
	f.Add([]byte("x = " + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300)))
	f.Add([]byte("x = <<EOT\n${(((1)))}\nEOT\ny = \"${\"$${a}\"}\" # ((\n/* [[ */ z = !-1 ? a : b\n"))
	f.Add([]byte(`{"locals": {"x": "${[[(1)]]}"}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, name := range []string{"a.tf", "a.tf.json", "t.tpl"} {
			if name == "t.tpl" {
				hclnesting.CheckTemplate(src, name)
				continue
			}
			file, diags := ParseFile(src, name)
			if hclnesting.Check(src, name) != nil && (file != nil || len(diags) != 1 || diags[0].Summary != "Nesting too deep") {
				t.Fatalf("%s: refused file gave %v", name, diags)
			}
		}
	})
}
