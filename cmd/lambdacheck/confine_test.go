package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileConfig reads the process environment and /etc/passwd through
// every file function it can, in the places whose values reach findings
// (names, policies) and in conversions whose errors quote their input.
const hostileConfig = `
resource "aws_iam_role" "r" {
  name               = "role-${filebase64("/proc/self/environ")}"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sqs:*", Resource = "*", Sid = file("/etc/passwd") }] })
}

resource "aws_lambda_function" "f" {
  function_name = "f-${file("/proc/self/environ")}"
  role          = aws_iam_role.r.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "f.zip"
  timeout       = tonumber(file("/proc/self/environ"))
  memory_size   = tonumber(file("/etc/passwd"))
  description   = templatefile("/etc/passwd", {})
}

resource "aws_sqs_queue" "q" {
  name = "q-${file("../../../../../../../../etc/passwd")}"
}
`

// TestSimulateNeverPublishesFilesOutsideTheRoot runs simulate in every
// format a CI job publishes, with and without --allow-read-outside-root,
// and looks for the process environment and /etc/passwd in the output and
// on standard error.
func TestSimulateNeverPublishesFilesOutsideTheRoot(t *testing.T) {
	environ, err := os.ReadFile("/proc/self/environ")
	if err != nil {
		t.Fatal(err)
	}
	passwd, err := os.ReadFile("/etc/passwd")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hostileConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	// What must not appear: each environment entry long enough to be
	// telling, the start of the environment in base64, and passwd lines.
	var leaks []string
	for _, kv := range strings.Split(string(environ), "\x00") {
		if len(kv) >= 12 {
			leaks = append(leaks, kv)
		}
	}
	leaks = append(leaks, base64.StdEncoding.EncodeToString(environ[:min(len(environ), 24)]))
	for _, line := range strings.Split(string(passwd), "\n") {
		if len(line) >= 12 {
			leaks = append(leaks, line)
		}
	}
	for _, allow := range []bool{false, true} {
		for _, format := range []string{"json", "sarif", "markdown", "table"} {
			args := []string{"simulate", dir, "--format", format, "--fail-on", "none"}
			if allow {
				args = append(args, "--allow-read-outside-root")
			}
			stdout, stderr, code := runCLI(t, "", args...)
			if code != 2 {
				t.Errorf("%v: exit %d, want 2 (refused reads of /proc are errors)\n%s", args, code, stderr)
			}
			if !strings.Contains(stderr, "/proc/self/environ") {
				t.Errorf("%v: stderr does not name /proc/self/environ:\n%s", args, stderr)
			}
			for _, l := range leaks {
				if allow && strings.Contains(string(passwd), l) {
					continue // opted in: /etc/passwd is a regular file and may be read
				}
				if strings.Contains(stdout, l) || strings.Contains(stderr, l) {
					t.Fatalf("%v: %q leaks into the output", args, l)
				}
			}
			if !allow && !strings.Contains(stderr, "Outside the scan root") {
				t.Errorf("%v: no warning for /etc/passwd:\n%s", args, stderr)
			}
		}
	}
}

func TestRootFlag(t *testing.T) {
	base := t.TempDir()
	app := filepath.Join(base, "app")
	for p, src := range map[string]string{
		"app/main.tf":    `module "s" { source = "../shared" }`,
		"shared/main.tf": `resource "aws_sqs_queue" "shared" { name = "shared-queue" }`,
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(base, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(base, p), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Without .git the root is the directory itself: ../shared is outside.
	out, stderr, _ := runCLI(t, "", "inventory", app, "--format", "json")
	if strings.Contains(out, "shared-queue") || !strings.Contains(out+stderr, "Outside the scan root") {
		t.Fatalf("default root loaded ../shared:\n%s\n%s", out, stderr)
	}
	out, stderr, code := runCLI(t, "", "inventory", app, "--format", "json", "--root", base)
	if code != 0 || !strings.Contains(out, "shared-queue") {
		t.Fatalf("--root %s: exit %d, module not loaded:\n%s\n%s", base, code, out, stderr)
	}
	if _, stderr, code := runCLI(t, "", "inventory", app, "--root", filepath.Join(base, "shared")); code != 2 || !strings.Contains(stderr, "outside the scan root") {
		t.Fatalf("PATH outside --root: exit %d:\n%s", code, stderr)
	}
}
