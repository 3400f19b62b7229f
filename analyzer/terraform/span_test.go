package terraform

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
)

// A resource block spans from its first character to just after its
// closing brace; a block on one line, or in JSON syntax, has no end.
func TestBlockSpan(t *testing.T) {
	cases := []struct {
		name, file, src string
		want            loc.Span
	}{
		{"block", "main.tf", "# head\n\nresource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n  }\n",
			loc.Span{File: "main.tf", Line: 3, Column: 1, EndLine: 5, EndColumn: 4}},
		{"one line", "main.tf", "resource \"aws_sqs_queue\" \"q\" { name = \"q\" }\n",
			loc.Span{File: "main.tf", Line: 1, Column: 1}},
		{"JSON syntax", "main.tf.json", "{\"resource\": {\"aws_sqs_queue\": {\"q\": {\n\"name\": \"q\"}}}}\n",
			loc.Span{File: "main.tf.json", Line: 1, Column: 38}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, c.file), []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			m, diags, err := config.LoadIn(context.Background(), nil, dir, "")
			if err != nil || diags.HasErrors() || len(m.Resources) != 1 {
				t.Fatalf("load: %v %v", err, diags)
			}
			got := blockSpan(m.Resources[0])
			got.File = filepath.Base(got.File)
			if got != c.want {
				t.Errorf("span %#v, want %#v", got, c.want)
			}
		})
	}
}
