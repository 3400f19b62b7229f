package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The hostile child runs the command line in LC_HOSTILE_ARGS (split on
// the unit separator, 0x1f) as its own process, so the parent can measure its peak memory.
func TestMain(m *testing.M) {
	if args := os.Getenv("LC_HOSTILE_ARGS"); args != "" {
		os.Exit(run(strings.Split(args, "\x1f")))
	}
	os.Exit(m.Run())
}

// runHostile simulates dir in a child process and returns its exit code,
// standard error, and peak resident memory in MiB.
func runHostile(t *testing.T, dir string, extra ...string) (int, string, int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	args := append([]string{"simulate", dir, "--format", "json", "--today", testDay}, extra...)
	cmd.Env = append(os.Environ(), "LC_HOSTILE_ARGS="+strings.Join(args, "\x1f"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &bytes.Buffer{}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("still running after 60 s")
	}
	if time.Since(start) > 60*time.Second {
		t.Fatalf("took %v", time.Since(start))
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var peak int64
	if ru != nil {
		peak = ru.Maxrss / 1024 // KiB on Linux
	}
	return cmd.ProcessState.ExitCode(), stderr.String(), peak
}

// Inputs written to exhaust the runner end with a diagnostic naming the
// limit at file:line, exit 2, within 60 s and 2 GiB.
func TestHostileInputsAreBounded(t *testing.T) {
	doubling := "locals {\n  s0 = \"xxxxxxxxxxxxxxxx\"\n"
	for i := 1; i <= 40; i++ {
		doubling += "  s" + itoa(i) + " = \"${local.s" + itoa(i-1) + "}${local.s" + itoa(i-1) + "}\"\n"
	}
	doubling += "}\nresource \"aws_sqs_queue\" \"q\" { name = local.s40 }\n"
	big := `{"a":[` + strings.Repeat(`"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",`, 220000) + `"x"]}`
	cases := []struct {
		name, src, want string
		files           map[string]string
	}{
		{name: "forty doubling locals", src: doubling, want: "Value too large"},
		{name: "setproduct of three range(1024)", src: `locals { p = setproduct(range(1024), range(1024), range(1024)) }
resource "aws_sqs_queue" "q" { name = length(local.p) }`, want: "setproduct would build"},
		{name: "range of a billion", src: `resource "aws_sqs_queue" "q" { name = length(range(1000000000)) }`, want: "range would build"},
		{name: "jsondecode of an 11 MB file", src: `resource "aws_sqs_queue" "q" { name = length(jsondecode(file("big.json")).a) }`, want: "jsondecode of", files: map[string]string{"big.json": big}},
		{name: "for nest of 1024×1024×64", src: `locals { n = [for a in range(1024) : [for b in range(1024) : [for c in range(64) : "${a}-${b}-${c}"]]] }
resource "aws_sqs_queue" "q" { name = length(local.n) }`, want: "nested for expressions"},
		{name: "for nest over the outer iterator", src: `locals { n = [for a in range(1024) : [for b in range(a) : [for c in range(a) : "${a}-${b}-${c}"]]] }
resource "aws_sqs_queue" "q" { name = length(local.n) }`, want: "nested for expressions"},
		{name: "template for nest", src: `locals { t = "%{for a in range(1024)}%{for b in range(1024)}%{for c in range(64)}x%{endfor}%{endfor}%{endfor}" }
resource "aws_sqs_queue" "q" { name = local.t }`, want: "nested for expressions"},
		{name: "100,000 nested parentheses", src: `resource "aws_sqs_queue" "q" { name = ` + strings.Repeat("(", 100000) + `"x"` + strings.Repeat(")", 100000) + ` }`, want: "Nesting too deep"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "main.tf"), tc.src)
			for name, content := range tc.files {
				writeFile(t, filepath.Join(dir, name), content)
			}
			code, stderr, peak := runHostile(t, dir)
			if code != 2 || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "main.tf:") {
				t.Errorf("exit %d, stderr lacks %q at main.tf:\n%.2000s", code, tc.want, stderr)
			}
			if peak > 2048 {
				t.Errorf("peak memory %d MiB, more than 2 GiB", peak)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// A custom rule written to exhaust memory is stopped by the default
// --rule-memory budget, well before the timeout and under 2 GiB.
func TestHostileRulesAreBoundedInMemory(t *testing.T) {
	head := "# METADATA\n# title: T\n# custom:\n#   id: U102\n#   short_code: greedy\n#   severity: high\npackage lambdacheck.rules.greedy\n\n"
	doubling := "deny contains \"x\" if {\n\ts0 := \"xxxxxxxxxxxxxxxx\"\n"
	for i := 1; i <= 34; i++ {
		doubling += "\ts" + itoa(i) + " := concat(\"\", [s" + itoa(i-1) + ", s" + itoa(i-1) + "])\n"
	}
	doubling += "\tcount(s34) > 0\n}\n"
	for name, body := range map[string]string{
		"range of 300 million": "deny contains \"x\" if count(numbers.range(1, 300000000)) > 0\n",
		"doubling string":      doubling,
	} {
		t.Run(name, func(t *testing.T) {
			app := copyApp(t, "thumbnails")
			rules := t.TempDir()
			writeFile(t, filepath.Join(rules, "greedy.rego"), head+body)
			code, stderr, peak := runHostile(t, app, "--policy", rules)
			for _, want := range []string{"greedy.rego:9:", "U102", "rule memory budget of 256 MiB", "--rule-memory"} {
				if code != 2 || !strings.Contains(stderr, want) {
					t.Errorf("exit %d, stderr lacks %q:\n%.2000s", code, want, stderr)
				}
			}
			if peak > 2048 {
				t.Errorf("peak memory %d MiB, more than 2 GiB", peak)
			}
			t.Logf("peak %d MiB", peak)
		})
	}
}

// A rule, a settings file or a snapshot that is a symlink to a device (git
// stores symlinks) is refused, not read until memory runs out.
func TestHostileDeviceInputsAreRefused(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero on this system")
	}
	app := copyApp(t, "thumbnails")
	rules := t.TempDir()
	if err := os.Symlink("/dev/zero", filepath.Join(rules, "zero.rego")); err != nil {
		t.Fatal(err)
	}
	cfg := t.TempDir()
	if err := os.Symlink("/dev/zero", filepath.Join(cfg, ".lambdacheck.hcl")); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(t.TempDir(), "snap.json")
	if err := os.Symlink("/dev/zero", snap); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"simulate", app, "--policy", rules},
		{"simulate", app, "--config", filepath.Join(cfg, ".lambdacheck.hcl")},
		{"simulate", snap},
	} {
		done := make(chan struct{})
		var code int
		var stderr string
		go func() {
			defer close(done)
			_, stderr, code = runCLI(t, "", args...)
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("%v still running after 30 s", args)
		}
		if code != 2 || !strings.Contains(stderr, "only regular files are read") {
			t.Errorf("%v: exit %d\n%s", args, code, stderr)
		}
	}
}

// A hostile application that tries to read secrets (the process
// environment, a file beside the scan root) into names and environment
// variables, and names with terminal escapes and Markdown links, leaves
// no secret, outside content or control character in any output format.
func TestHostileApplicationInEveryFormat(t *testing.T) {
	const canary = "lc-canary-7f3a9e"
	t.Setenv("LC_HOSTILE_SECRET", canary+"-env")
	parent := t.TempDir()
	writeFile(t, filepath.Join(parent, "secret.txt"), canary+"-file")
	dir := filepath.Join(parent, "app")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(parent, "secret.txt"), filepath.Join(dir, "linked.txt")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "main.tf"), `resource "aws_iam_role" "r" {
  name               = "r\u001b]8;;https://evil.example/\u0007x\u001b]8;;\u0007\u202e-${file("/proc/self/environ")}"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}
resource "aws_lambda_function" "f" {
  function_name = "fn-\u001b[2J[pwn](https://evil.example)-@octocat"
  description   = file("linked.txt")
  role          = aws_iam_role.r.arn
  runtime       = "python3.8"
  handler       = "app.handler"
  filename      = "app.zip"
  environment {
    variables = {
      ENV    = file("/proc/self/environ")
      OUTER  = templatefile("/proc/self/environ", {})
      LINKED = file("linked.txt")
    }
  }
}
resource "aws_lambda_function" "g" {
  function_name = "g-${file("${path.module}/../secret.txt")}"
  role          = aws_iam_role.r.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
}
resource "aws_lambda_function_url" "u" {
  function_name      = aws_lambda_function.f.function_name
  authorization_type = "NONE"
}
resource "aws_lambda_function_url" "v" {
  function_name      = "fn-\u0007[x](https://evil.example)\r\n"
  authorization_type = "NONE"
}
`)
	runs := [][]string{{"inventory", dir}, {"inventory", dir, "--format", "json"}}
	for _, format := range []string{"table", "json", "sarif", "junit", "markdown"} {
		runs = append(runs, []string{"simulate", dir, "--format", format, "--today", testDay})
	}
	for _, args := range runs {
		out, errOut, code := runCLI(t, "", args...)
		if code == 2 && out == "" {
			t.Errorf("%v: no output, exit 2:\n%s", args, errOut)
			continue
		}
		for name, text := range map[string]string{"stdout": out, "stderr": errOut} {
			if strings.Contains(text, canary) {
				t.Errorf("%v: %s holds the secret:\n%s", args, name, text)
			}
			// SARIF would carry them escaped, to be decoded by the viewer.
			// The JSON snapshot and flows are the data contract: they keep
			// names as written, escaped, for programs to read.
			data := len(args) > 2 && args[2] == "--format" && args[3] == "json"
			for _, esc := range []string{`\u001b`, `\u0007`, `\u202e`, `\u009b`} {
				if !data && strings.Contains(strings.ToLower(text), esc) {
					t.Errorf("%v: %s holds the escaped control %s:\n%s", args, name, esc, text)
				}
			}
			for _, r := range text {
				if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x202e {
					t.Errorf("%v: %s holds control character %U:\n%q", args, name, r, text)
					break
				}
			}
		}
		if !strings.Contains(out, "octocat") {
			t.Errorf("%v: output lacks the function:\n%s", args, out)
		}
		if args[len(args)-1] == "markdown" && (strings.Contains(out, "](https") || strings.Contains(out, "@octocat")) {
			t.Errorf("markdown keeps a live link or mention:\n%s", out)
		}
	}
}
