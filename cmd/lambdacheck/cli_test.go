package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/internal/buildinfo"
)

// runMain runs the command line as main does, hints and all.
func runMain(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runIO(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestVersionFlagAndCommandAgree(t *testing.T) {
	flagOut, _, code := runMain(t, "", "--version")
	if code != 0 {
		t.Fatalf("--version: exit %d", code)
	}
	cmdOut, _, code := runMain(t, "", "version")
	if code != 0 {
		t.Fatalf("version: exit %d", code)
	}
	if flagOut != cmdOut || !strings.HasPrefix(flagOut, "lambdacheck ") {
		t.Errorf("--version %q and version %q differ", flagOut, cmdOut)
	}
	if want := "lambdacheck " + buildinfo.Running(version) + "\n"; flagOut != want {
		t.Errorf("--version = %q, want %q", flagOut, want)
	}
}

func TestUsageErrorsHintAtHelp(t *testing.T) {
	cases := []struct {
		args []string
		hint string
	}{
		{[]string{"simulat"}, "Run 'lambdacheck --help' for usage."},
		{[]string{"simulate", "--no-such-flag"}, "Run 'lambdacheck simulate --help' for usage."},
		{[]string{"inventory", "--format"}, "Run 'lambdacheck inventory --help' for usage."},
		{[]string{"rules", "extra"}, "Run 'lambdacheck rules --help' for usage."},
	}
	for _, c := range cases {
		_, errOut, code := runMain(t, "", c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", c.args, code)
		}
		if !strings.Contains(errOut, c.hint) {
			t.Errorf("%v: stderr lacks %q:\n%s", c.args, c.hint, errOut)
		}
	}
	// An input error is not a usage error: no hint.
	_, errOut, code := runMain(t, "", "simulate", "no/such/dir")
	if code != 2 || strings.Contains(errOut, "--help") {
		t.Errorf("input error: exit %d, stderr %q", code, errOut)
	}
}

func TestDefaultPathIsTheCurrentDirectory(t *testing.T) {
	dir, err := filepath.Abs("../../fixtures/broken-triggers")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, args := range [][]string{
		{"inventory", "--format", "json"},
		{"simulate", "--format", "json", "--fail-on", "none"},
		{"graph"},
	} {
		out, errOut, code := runMain(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
		explicit, _, _ := runMain(t, "", append([]string{args[0], "."}, args[1:]...)...)
		if out != explicit || len(out) < 200 {
			t.Errorf("%v: output differs from the one with PATH . (or is empty):\n%.400s", args, out)
		}
		if args[0] != "graph" && !strings.Contains(out, "aws_lambda_function.") {
			t.Errorf("%v: output names no function of the directory:\n%.400s", args, out)
		}
	}
}

func TestSimulateReadsASnapshotFromStdin(t *testing.T) {
	snapshot, errOut, code := runMain(t, "", "inventory", "../../fixtures/broken-triggers", "--format", "json")
	if code != 0 {
		t.Fatalf("inventory: exit %d\n%s", code, errOut)
	}
	fromFile, _, fileCode := runMain(t, "", "simulate", "../../fixtures/broken-triggers", "--format", "json")
	fromStdin, errOut, stdinCode := runMain(t, snapshot, "simulate", "-", "--format", "json")
	if stdinCode != fileCode {
		t.Fatalf("simulate -: exit %d, from the directory %d\n%s", stdinCode, fileCode, errOut)
	}
	var a, b struct {
		Findings []struct {
			Rule    string `json:"rule"`
			Address string `json:"address"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(fromFile), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(fromStdin), &b); err != nil {
		t.Fatalf("simulate - output: %v\n%.400s", err, fromStdin)
	}
	if len(a.Findings) == 0 || len(a.Findings) != len(b.Findings) {
		t.Fatalf("findings from stdin %d, from the directory %d", len(b.Findings), len(a.Findings))
	}
	for i := range a.Findings {
		if a.Findings[i].Rule != b.Findings[i].Rule || a.Findings[i].Address != b.Findings[i].Address {
			t.Errorf("finding %d: stdin %+v, directory %+v", i, b.Findings[i], a.Findings[i])
		}
	}

	_, errOut, code = runMain(t, "not json", "simulate", "-")
	if code != 2 || !strings.Contains(errOut, "standard input") {
		t.Errorf("bad stdin: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = runMain(t, snapshot, "simulate", "-", "--event", "-")
	if code != 2 || !strings.Contains(errOut, "both read standard input") {
		t.Errorf("two readers of stdin: exit %d, stderr %q", code, errOut)
	}
}

func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		out, errOut, code := runMain(t, "", "completion", shell)
		if code != 0 || !strings.Contains(out, "lambdacheck") {
			t.Errorf("completion %s: exit %d, %d bytes\n%s", shell, code, len(out), errOut)
		}
	}
}
