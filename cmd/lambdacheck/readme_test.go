package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The README's console examples are real output: each is run and compared
// with what the README shows. Examples elided with "…" and the collect
// example (it needs the test suite's emulated AWS endpoint) are skipped.
func TestREADMEExamplesAreRealOutput(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	t.Chdir("../..") // the examples run from the repository root
	ran := 0
	// With -update, each example's shown output is replaced by what it
	// prints now (review the README diff before committing it).
	updated := string(readme)
	for _, m := range regexp.MustCompile("(?s)```console\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		first, want, _ := strings.Cut(m[1], "\n")
		if !strings.HasPrefix(first, "$ lambdacheck ") || strings.Contains(m[1], "…") || strings.Contains(first, " collect ") {
			continue
		}
		line := strings.TrimPrefix(first, "$ lambdacheck ")
		head := 0
		if l, n, ok := strings.Cut(line, " | head -"); ok {
			head, _ = strconv.Atoi(strings.TrimSpace(n))
			line = l
		}
		stdin := ""
		if l, file, ok := strings.Cut(line, " < "); ok {
			data, err := os.ReadFile(strings.TrimSpace(file))
			if err != nil {
				t.Fatalf("%s: %v", first, err)
			}
			stdin, line = string(data), l
		}
		args := strings.Fields(line)
		for i := range args {
			// Files the example writes go to a temporary directory.
			if i > 0 && (args[i-1] == "--output" || args[i-1] == "-o") {
				args[i] = filepath.Join(tmp, filepath.Base(args[i]))
			}
		}
		got := runLikeMain(t, stdin, args...)
		if head > 0 {
			lines := strings.SplitAfter(got, "\n")
			got = strings.Join(lines[:min(head, len(lines))], "")
		}
		if strings.TrimRight(got, "\n") != strings.TrimRight(want, "\n") {
			if updateGolden() {
				updated = strings.Replace(updated, m[0], "```console\n"+first+"\n"+strings.TrimRight(got, "\n")+"\n```", 1)
			} else {
				t.Errorf("README example %q no longer matches its output (go test ./cmd/lambdacheck -run READMEExamples -update rewrites it); got:\n%s", first, got)
			}
		}
		ran++
	}
	if updateGolden() && updated != string(readme) {
		if err := os.WriteFile("README.md", []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if ran < 5 {
		t.Fatalf("only %d README examples ran", ran)
	}
}

// runLikeMain runs a command line as main does: standard output, then
// standard error with the error message prefixed as main prints it.
func runLikeMain(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, err := execute(stdin, args...)
	if err != nil && err.Error() != "" {
		errOut += "lambdacheck: " + err.Error() + "\n"
	}
	return out + errOut
}
