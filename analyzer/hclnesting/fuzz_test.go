package hclnesting

import (
	"strings"
	"testing"
)

// FuzzCheck: no input panics the scan, and a refusal is the one nesting
// diagnostic, at a position inside the source.
func FuzzCheck(f *testing.F) {
	f.Add([]byte("x = " + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300)))
	f.Add([]byte("x = <<EOT\n${(((1)))}\nEOT\n# ((\n/* [[ */ y = !-1 ? a : b\n"))
	f.Add([]byte(`{"a": [[["${(1)}"]]]}`))
	f.Add([]byte(strings.Repeat("${(", 300)))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, d := range append(append(Check(src, "a.tf"), Check(src, "a.tf.json")...), CheckTemplate(src, "t.tpl")...) {
			if d.Summary != "Nesting too deep" || d.Subject == nil || d.Subject.Start.Byte < 0 || d.Subject.Start.Byte > len(src) {
				t.Fatalf("diagnostic %q at %v for %d bytes", d.Summary, d.Subject, len(src))
			}
		}
	})
}
