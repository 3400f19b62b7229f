package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/fixtures/gen/estate"
)

func TestGraphCommand(t *testing.T) {
	const app = "../../fixtures/thumbnails"
	cases := []struct {
		name    string
		args    []string
		code    int
		want    []string
		notWant []string
	}{
		{"mermaid by default", []string{app}, 0,
			[]string{"flowchart LR", `r_s3_uploads -->|"s3: allowed"| f_thumbnail`, `f_thumbnail -->|"Read"| r_s3_uploads`}, []string{"any resource"}},
		{"dot on request", []string{app, "--format", "dot"}, 0,
			[]string{"digraph lambdacheck {", `"f_thumbnail" -> "r_s3_uploads" [label="s3: allowed"`}, nil},
		{"kinds filter", []string{app, "--kinds", "invoke"}, 0,
			[]string{`"s3: allowed"`}, []string{`"Read"`, `"Write"`}},
		{"kinds repeated and comma-separated", []string{app, "--kinds", "invoke,access", "--kinds", "chain"}, 0,
			[]string{`"s3: allowed"`, `"Read"`}, nil},
		{"all includes telemetry plumbing", []string{app, "--all"}, 0,
			[]string{`"any resource (*)"`, `"Write on logs"`}, nil},
		{"function filter", []string{app, "--function", "aws_lambda_function.thumbnail"}, 0,
			[]string{"f_thumbnail"}, nil},
		{"collapse by module", []string{"../../fixtures/stream-analytics", "--collapse", "module"}, 0,
			[]string{`"module.enrich (1 function, 0 resources)"`}, []string{"f_module_enrich_this"}},
		{"unknown collapse is a usage error", []string{app, "--collapse", "app"}, 2, nil, nil},
		{"unknown format is a usage error", []string{app, "--format", "svg"}, 2, nil, nil},
		{"unknown kind is a usage error", []string{app, "--kinds", "invoke,bogus"}, 2, nil, nil},
		{"unknown function is a usage error", []string{app, "--function", "aws_lambda_function.nope"}, 2, nil, nil},
		{"missing path is an input error", []string{"../../fixtures/does-not-exist"}, 2, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", append([]string{"graph"}, c.args...)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, c.code, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestGraphOutputFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flows.dot")
	out, errOut, code := runCLI(t, "", "graph", "../../fixtures/thumbnails", "--format", "dot", "--output", path)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "// lambdacheck flow graph") || !strings.HasSuffix(string(data), "}\n") {
		t.Errorf("file is not the whole DOT graph:\n%s", data)
	}
}

// The views of the generated 10-function estate, counted rather than
// looked at: the default view draws no chain, the chain view only edges
// on a chain, and the focus view only what touches one function. The
// counts are reviewed numbers (README, graph section); a change in them
// is a change in what the picture shows.
func TestGraphViewsOnTheTenFunctionEstate(t *testing.T) {
	dir := t.TempDir()
	if _, err := estate.Write(dir, estate.Options{Functions: 10}); err != nil {
		t.Fatal(err)
	}
	count := func(args ...string) (nodes, edges, chainEdges int) {
		t.Helper()
		out, errOut, code := runCLI(t, "", append([]string{"graph", dir}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		seen := map[string]bool{}
		for _, line := range strings.Split(out, "\n") {
			l := strings.TrimSpace(line)
			switch {
			case strings.Contains(l, "==>"): // thick: on a chain
				edges++
				chainEdges++
			case strings.Contains(l, "-->") || strings.Contains(l, "-.->") || strings.Contains(l, "--x") || strings.Contains(l, "~~~"):
				edges++
			case len(l) > 2 && (l[0] == 'e' || l[0] == 'f' || l[0] == 'r') && l[1] == '_' && strings.ContainsAny(l, "[({>"):
				seen[strings.FieldsFunc(l, func(r rune) bool { return strings.ContainsRune("[({>", r) })[0]] = true
			}
		}
		return len(seen), edges, chainEdges
	}
	dn, de, dc := count()
	cn, ce, cc := count("--kinds", "chain")
	an, ae, _ := count("--kinds", "all")
	fn, fe, _ := count("--focus", "aws_lambda_function.payments_process_0005")
	t.Logf("default %d nodes %d edges; chain %d/%d; all %d/%d; focus %d/%d", dn, de, cn, ce, an, ae, fn, fe)
	if dn != 23 || de != 44 || cn != 20 || ce != 29 {
		t.Errorf("default %d nodes, %d edges; chain view %d nodes, %d edges; want 23/44 and 20/29 (README)", dn, de, cn, ce)
	}
	if dc != 0 {
		t.Errorf("the default view highlights %d chain edges", dc)
	}
	if cc == 0 {
		t.Error("the chain view highlights no edge")
	}
	if an != dn || ae != de {
		t.Errorf("--kinds all draws %d nodes, %d edges; want the default's %d, %d with the chains over them", an, ae, dn, de)
	}
	if fn == 0 || fn >= dn || fe >= de {
		t.Errorf("focus view %d nodes, %d edges: want a part of the default's %d, %d", fn, fe, dn, de)
	}
}
