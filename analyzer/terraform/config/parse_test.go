package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/lambdacheck/lambdacheck/fixtures/gen/estate"
)

// sameAsWholeParse fails unless parsing src in pieces of pieceSize either
// declines or builds exactly the body a whole-file parse builds.
func sameAsWholeParse(t testing.TB, src []byte, name string, pieceSize int) (split bool) {
	t.Helper()
	whole, wdiags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	got, ok := parseSplit(src, name, pieceSize)
	if !ok {
		return false
	}
	if len(wdiags) > 0 {
		t.Fatalf("%s: split parse accepted a file the whole parse reports: %v", name, wdiags)
	}
	if !reflect.DeepEqual(got.Body, whole.Body) {
		t.Fatalf("%s: split parse (pieces of %d bytes) differs from the whole parse", name, pieceSize)
	}
	if string(got.Bytes) != string(src) {
		t.Fatalf("%s: split parse lost the file's bytes", name)
	}
	return true
}

func TestParseSplitMatchesWholeParseOnFixtures(t *testing.T) {
	var files []string
	err := filepath.WalkDir("../../../fixtures", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tf") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := estate.Write(dir, estate.Options{Functions: 60}); err != nil {
		t.Fatal(err)
	}
	gen, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	files = append(files, gen...)
	if len(files) < 30 {
		t.Fatalf("found only %d .tf files", len(files))
	}
	splits := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{64, 512, 4096} {
			if sameAsWholeParse(t, src, f, size) {
				splits++
			}
		}
	}
	// Most files have several top-level blocks: the split path must be
	// the one these comparisons exercised, not the fallback.
	if splits < len(files) {
		t.Fatalf("only %d of %d parses were split", splits, 3*len(files))
	}
}

// letterLines returns a cut at every line after the first that starts with
// a letter, wherever it is.
func letterLines(src string) []hcl.Pos {
	var cuts []hcl.Pos
	off := 0
	for i, l := range strings.SplitAfter(src, "\n") {
		if i > 0 && l != "" && (l[0] >= 'a' && l[0] <= 'z' || l[0] >= 'A' && l[0] <= 'Z') {
			cuts = append(cuts, hcl.Pos{Line: i + 1, Column: 1, Byte: off})
		}
		off += len(l)
	}
	return cuts
}

// Each source has a line starting with a letter inside a construct.
var constructCases = map[string]string{
	"heredoc":        "locals {\n  a = 1\n}\n\nx = <<EOT\n\nresource \"a\" \"b\" {\n}\nEOT\n",
	"heredoc-marker": "x = <<-EOT\n{\n}\nEOT\n\ny = 1\n",
	"comment":        "locals {\n  a = 1\n}\n/*\nresource \"a\" \"b\" {\n}\n*/\n",
	"block":          "resource \"a\" \"b\" {\n  x = 1\ny = 2\n}\n",
	"list":           "locals {\n  a = [\n1,\nb,\n]\n}\n",
	"string":         "x = \"${\nabc\n}\"\ny = 1\n",
}

func TestParseAtDeclinesCutsInsideConstructs(t *testing.T) {
	for name, src := range constructCases {
		t.Run(name, func(t *testing.T) {
			if _, diags := hclsyntax.ParseConfig([]byte(src), name+".tf", hcl.InitialPos); len(diags) > 0 {
				t.Fatalf("test source is not valid HCL: %v", diags)
			}
			cuts := letterLines(src)
			inside := cuts[:0:0]
			for _, c := range cuts {
				// Keep only the cuts that fall inside the construct:
				// those whose piece before would not parse alone.
				if _, d := hclsyntax.ParseConfig([]byte(src[:c.Byte]), "x.tf", hcl.InitialPos); len(d) > 0 {
					inside = append(inside, c)
				}
			}
			if len(inside) == 0 {
				t.Fatal("test source has no cut inside its construct")
			}
			if _, ok := parseAt([]byte(src), name+".tf", inside); ok {
				t.Fatal("split accepted a cut inside a construct")
			}
		})
	}
}

func TestCutPointsSkipHeredocs(t *testing.T) {
	for name, src := range constructCases {
		for _, c := range cutPoints([]byte(src), 1) {
			if _, d := hclsyntax.ParseConfig([]byte(src[:c.Byte]), "x.tf", hcl.InitialPos); len(d) > 0 && strings.HasPrefix(name, "heredoc") {
				t.Errorf("%s: cut at line %d is inside the heredoc", name, c.Line)
			}
		}
	}
}

func TestParseFileReportsRedefinedAttributeAcrossPieces(t *testing.T) {
	pad := strings.Repeat("# padding to make the file large enough to split\n", 3000)
	src := []byte("a = 1\n" + pad + "a = 2\n" + pad)
	if len(src) < 2*splitPieceSize {
		t.Fatalf("test file too small to split: %d bytes", len(src))
	}
	_, diags := ParseFile(src, "dup.tf")
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "redefined") {
		t.Fatalf("want the whole parse's redefinition error, got %v", diags)
	}
}

func TestParseFileSplitsLargeFiles(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 5*splitPieceSize; i++ {
		b.WriteString("resource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n}\n")
	}
	src := []byte(b.String())
	if cuts := cutPoints(src, splitPieceSize); len(cuts) < 3 {
		t.Fatalf("a %d-byte file cut in %d places", len(src), len(cuts))
	}
	f, diags := ParseFile(src, "big.tf")
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	whole, _ := hclsyntax.ParseConfig(src, "big.tf", hcl.InitialPos)
	if !reflect.DeepEqual(f.Body, whole.Body) {
		t.Fatal("large file parsed in pieces differs from the whole parse")
	}
}

func FuzzParseSplit(f *testing.F) {
	f.Add([]byte("a = 1\nb = 2\n"), 1)
	f.Add([]byte("resource \"a\" \"b\" {\n  x = <<EOT\ny\nEOT\n}\nz = 1\n"), 4)
	f.Add([]byte("x = <<EOT\nresource \"a\" \"b\" {\n}\nEOT\n"), 1)
	f.Add([]byte("/*\nb = 1\n*/\nc = 2\n"), 1)
	f.Add([]byte("a = [\n1,\nb,\n]\nc = \"${\nd\n}\"\n"), 2)
	f.Fuzz(func(t *testing.T, src []byte, pieceSize int) {
		if pieceSize < 1 || pieceSize > 1<<12 {
			pieceSize = 1
		}
		sameAsWholeParse(t, src, "fuzz.tf", pieceSize)
	})
}
