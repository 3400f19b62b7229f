package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
