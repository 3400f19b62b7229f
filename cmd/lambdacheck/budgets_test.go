package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Each budget an input exceeds ends the run with exit 2 and a diagnostic at
// file:line that names the limit.
func TestBudgetsExceededExitTwo(t *testing.T) {
	const slowRule = "# METADATA\n# title: T\n# custom:\n#   id: X100\n#   short_code: slow\n#   severity: high\npackage lambdacheck.rules.slow\n\ndeny contains \"x\" if {\n\tsome i in numbers.range(1, 20000)\n\tsome j in numbers.range(1, 20000)\n\ti * j == -1\n}\n"
	noise := make([]byte, 200<<10)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range noise {
		noise[i] = byte(r.IntN(256))
	}
	cases := []struct {
		name    string
		files   map[string]string
		args    []string
		want    []string // in stderr; FILE is replaced by the case's directory
		maxDiag int      // at most this many lines of diagnostics, when set
	}{
		{"nesting", map[string]string{"main.tf": "locals {\n  x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + "\n}\n"},
			nil, []string{"DIR/main.tf:2:", "Nesting too deep", "nesting limit"}, 0},
		{"diagnostics per file", map[string]string{"noise.tf": string(noise), "main.tf": "locals {}\n"},
			nil, []string{"DIR/noise.tf:", "more diagnostics in noise.tf not shown"}, 25},
		{"rule timeout", map[string]string{"main.tf": "locals {}\n", "rules/slow.rego": slowRule},
			[]string{"--policy", "DIR/rules", "--rule-timeout", "1s"}, []string{"DIR/rules/slow.rego:9:", "rule timeout of 1s", "--rule-timeout"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, src := range c.files {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(dir, name), src)
			}
			args := []string{"simulate", dir, "--fail-on", "none"}
			for _, a := range c.args {
				args = append(args, strings.ReplaceAll(a, "DIR", dir))
			}
			_, stderr, code := runCLI(t, "", args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr:\n%.2000s", code, stderr)
			}
			for _, w := range c.want {
				if w = strings.ReplaceAll(w, "DIR", dir); !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%.2000s", w, stderr)
				}
			}
			if n := strings.Count(stderr, "\n"); c.maxDiag > 0 && n > c.maxDiag {
				t.Errorf("stderr has %d lines, want at most %d", n, c.maxDiag)
			}
		})
	}
}

func TestRuleTimeoutMustBePositive(t *testing.T) {
	_, stderr, code := runCLI(t, "", "simulate", "../../fixtures/thumbnails", "--rule-timeout", "0s")
	if code != 2 || !strings.Contains(stderr, "--rule-timeout") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestRuleMemoryMustBePositive(t *testing.T) {
	for _, v := range []string{"0", "-5"} {
		_, stderr, code := runCLI(t, "", "simulate", "../../fixtures/thumbnails", "--rule-memory", v)
		if code != 2 || !strings.Contains(stderr, "--rule-memory "+v+": want a positive number of MiB") {
			t.Errorf("--rule-memory %s: exit %d, stderr %q", v, code, stderr)
		}
	}
	// A budget the built-in rules fit in is accepted.
	if _, stderr, code := runCLI(t, "", "simulate", "../../fixtures/thumbnails", "--rule-memory", "64", "--fail-on", "none"); code != 0 {
		t.Errorf("--rule-memory 64: exit %d, stderr %q", code, stderr)
	}
}
