package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The flags the CI files pass to simulate exist, so that a rename breaks
// this test rather than every pipeline that uses them.
func checkSimulateFlags(t *testing.T, file, text string) {
	t.Helper()
	flags := newSimulateCommand().Flags()
	var args strings.Builder
	for _, line := range strings.Split(strings.ReplaceAll(text, "\\\n", " "), "\n") {
		if _, after, ok := strings.Cut(line, "simulate "); ok {
			args.WriteString(after + "\n")
		}
	}
	if args.Len() == 0 {
		t.Errorf("%s runs no simulate", file)
	}
	for _, m := range regexp.MustCompile(`(?:^|\s)--([a-z][a-z-]+)`).FindAllStringSubmatch(args.String(), -1) {
		if flags.Lookup(m[1]) == nil && m[1] != "version" && m[1] != "help" {
			t.Errorf("%s passes --%s, which simulate does not have", file, m[1])
		}
	}
}

func TestActionIsSafeForPullRequests(t *testing.T) {
	text := readRepoFile(t, "action.yml")
	var action struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
		Runs struct {
			Using string `yaml:"using"`
			Steps []struct {
				Name string            `yaml:"name"`
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				If   string            `yaml:"if"`
				Env  map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal([]byte(text), &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Errorf("runs.using %q, want composite", action.Runs.Using)
	}
	for _, in := range []string{"path", "fail-on", "config", "format"} {
		if _, ok := action.Inputs[in]; !ok {
			t.Errorf("no input %q", in)
		}
	}
	var run strings.Builder
	uploads := false
	for _, s := range action.Runs.Steps {
		// Inputs reach scripts through the environment: interpolated
		// into a script, a crafted value would run as shell.
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q interpolates an expression into its script", s.Name)
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			uploads = strings.Contains(s.If, "always()")
		}
		run.WriteString(s.Run + "\n")
	}
	if !uploads {
		t.Error("no upload-sarif step that runs even when the gate failed")
	}
	script := run.String()
	for _, want := range []string{`--fail-on "$LC_FAIL_ON"`, "--no-inline-waivers", `git show "origin/$BASE_REF:.lambdacheck.hcl"`, `--config "$base/.lambdacheck.hcl"`} {
		if !strings.Contains(script, want) {
			t.Errorf("action lacks %s", want)
		}
	}
	checkSimulateFlags(t, "action.yml", script)
}

func TestPreCommitHooks(t *testing.T) {
	var hooks []struct {
		ID           string `yaml:"id"`
		Entry        string `yaml:"entry"`
		Language     string `yaml:"language"`
		Files        string `yaml:"files"`
		PassFilename *bool  `yaml:"pass_filenames"`
	}
	text := readRepoFile(t, ".pre-commit-hooks.yaml")
	if err := yaml.Unmarshal([]byte(text), &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) == 0 {
		t.Fatal("no hooks")
	}
	for _, h := range hooks {
		if !strings.HasPrefix(h.Entry, "lambdacheck simulate") {
			t.Errorf("hook %s runs %q", h.ID, h.Entry)
		}
		if !regexp.MustCompile(h.Files).MatchString("infra/main.tf") {
			t.Errorf("hook %s does not run on .tf files", h.ID)
		}
		// simulate takes directories, not the changed files.
		if h.PassFilename == nil || *h.PassFilename {
			t.Errorf("hook %s passes file names", h.ID)
		}
	}
	checkSimulateFlags(t, ".pre-commit-hooks.yaml", text)
}

func TestDockerfile(t *testing.T) {
	text := readRepoFile(t, "Dockerfile")
	if n := strings.Count(text, "\nFROM "); n < 2 {
		t.Errorf("%d stages, want a build stage and a runtime stage", n)
	}
	for _, want := range []string{
		"CGO_ENABLED=0",                 // static
		"FROM gcr.io/distroless/static", // CA certificates, no shell
		"USER nonroot",                  // not root
		`ENTRYPOINT ["lambdacheck"]`,    // runs the tool
		"/usr/local/bin/lambdacheck",    // on PATH for the entrypoint
		"-X main.version=${VERSION}",    // versioned without .git
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Dockerfile lacks %s", want)
		}
	}
	smoke := readRepoFile(t, "scripts/docker-smoke.sh")
	checkSimulateFlags(t, "scripts/docker-smoke.sh", smoke)
}

func TestWorkflowUsesTheAction(t *testing.T) {
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(readRepoFile(t, ".github/workflows/lambdacheck.yml")), &wf); err != nil {
		t.Fatal(err)
	}
	paths := 0
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			if s.Uses != "./" {
				continue
			}
			if _, err := os.Stat("../../" + s.With["path"]); err != nil {
				t.Errorf("the workflow simulates %q: %v", s.With["path"], err)
			}
			paths++
		}
	}
	if paths == 0 {
		t.Error("the workflow does not run the action")
	}
}
