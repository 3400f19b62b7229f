package terraform

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

func TestDiagnosticsPerFileAreCapped(t *testing.T) {
	dir := t.TempDir()
	// Random bytes yield thousands of syntax errors; a clean file next to
	// them keeps its own diagnostics.
	noise := make([]byte, 200<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(r.IntN(256))
	}
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("noise.tf", string(noise))
	write("main.tf", "locals {\n  a = 1\n}\n")
	inv, err := Load(context.Background(), dir, Options{Catalog: fakeCatalog{}})
	if err != nil {
		t.Fatal(err)
	}
	var noiseDiags []inventory.Diagnostic
	for _, d := range inv.Diags {
		if d.File == "noise.tf" {
			noiseDiags = append(noiseDiags, d)
		}
	}
	if len(noiseDiags) != MaxDiagsPerFile+1 {
		t.Fatalf("noise.tf has %d diagnostics, want %d and a summary", len(noiseDiags), MaxDiagsPerFile)
	}
	last := noiseDiags[len(noiseDiags)-1]
	if last.Severity != "error" || !strings.HasSuffix(last.Summary, " more diagnostics in noise.tf not shown") ||
		!strings.Contains(last.Detail, "first 20 diagnostics") || last.Line == 0 {
		t.Errorf("summary diagnostic = %+v", last)
	}
}

func TestCapDiags(t *testing.T) {
	d := func(sev, file string, line int) inventory.Diagnostic {
		return inventory.Diagnostic{Severity: sev, Summary: "s", Span: loc.At(file, line)}
	}
	cases := []struct {
		name string
		in   []inventory.Diagnostic
		want []string // severity file:line summary
	}{
		{"under the cap", []inventory.Diagnostic{d("error", "a.tf", 1), d("warning", "a.tf", 2)},
			[]string{"error a.tf:1 s", "warning a.tf:2 s"}},
		{"errors dropped", []inventory.Diagnostic{d("warning", "a.tf", 1), d("warning", "b.tf", 1), d("warning", "a.tf", 2), d("error", "a.tf", 3), d("error", "a.tf", 4)},
			[]string{"warning a.tf:1 s", "warning b.tf:1 s", "warning a.tf:2 s", "error a.tf:3 2 more diagnostics in a.tf not shown"}},
		{"only warnings dropped", []inventory.Diagnostic{d("error", "a.tf", 1), d("error", "a.tf", 2), d("warning", "a.tf", 3)},
			[]string{"error a.tf:1 s", "error a.tf:2 s", "warning a.tf:3 1 more diagnostics in a.tf not shown"}},
		{"no file", []inventory.Diagnostic{d("error", "", 0), d("error", "", 0), d("error", "", 0)},
			[]string{"error :0 s", "error :0 s", "error :0 1 more diagnostics in the configuration not shown"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, g := range capDiags(c.in, 2) {
				got = append(got, g.Severity+" "+g.File+":"+strconv.Itoa(g.Line)+" "+g.Summary)
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
