package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command line in-process and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	out, errOut, err := execute(stdin, args...)
	code := 0
	if err != nil {
		code = exitCode(err)
		errOut += err.Error()
	}
	return out, errOut, code
}

// execute runs one command line in process and returns what it wrote to
// standard output and standard error, and its error.
func execute(stdin string, args ...string) (string, string, error) {
	root := newRootCommand()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), errOut.String(), err
}

func TestAuthzFileTable(t *testing.T) {
	out, _, code := runCLI(t, "", "authz", "--file", "../../fixtures/authz/s3-cross-account.json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"Allowed", "cross-account", "ReadPartnerReports", "AnalyticsAccountReads"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAuthzContextFlagOverridesFile(t *testing.T) {
	out, _, _ := runCLI(t, "", "authz", "--file", "../../fixtures/authz/s3-cross-account.json", "--context", "aws:SecureTransport=false", "--format", "json")
	var res struct {
		Decision   string `json:"decision"`
		Statements []struct {
			Sid    string `json:"sid"`
			Effect string `json:"effect"`
		} `json:"statements"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	if res.Decision != "ExplicitlyDenied" || len(res.Statements) != 1 || res.Statements[0].Sid != "DenyInsecureTransport" {
		t.Fatalf("want ExplicitlyDenied by DenyInsecureTransport, got %+v", res)
	}
}

func TestAuthzFlagsAndUnknownContext(t *testing.T) {
	dir := t.TempDir()
	fn := filepath.Join(dir, "fn.json")
	os.WriteFile(fn, []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"S3Invoke","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:eu-west-1:111111111111:function:f","Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}]}`), 0o600)
	args := []string{"authz", "--principal", "s3.amazonaws.com", "--action", "lambda:InvokeFunction",
		"--resource", "arn:aws:lambda:eu-west-1:111111111111:function:f", "--resource-policy", fn}
	out, _, _ := runCLI(t, "", append(args, "--context", "aws:SourceAccount=111111111111")...)
	if !strings.HasPrefix(out, "Allowed") {
		t.Fatalf("with the source account: %s", out)
	}
	out, _, _ = runCLI(t, "", append(args, "--context", "aws:SourceAccount=999999999999")...)
	if !strings.HasPrefix(out, "ImplicitlyDenied") {
		t.Fatalf("with another source account: %s", out)
	}
	out, _, _ = runCLI(t, "", append(args, "--unknown", "aws:SourceAccount")...)
	if !strings.HasPrefix(out, "Conditional") || !strings.Contains(out, "aws:SourceAccount") {
		t.Fatalf("with an unknown source account: %s", out)
	}
}

func TestAuthzJSONL(t *testing.T) {
	in := `{"id":1,"request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]}
{"id":2,"request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}
not json
`
	out, errOut, code := runCLI(t, in, "authz", "--jsonl")
	if code != 2 {
		t.Fatalf("exit %d with an undecidable line, want 2: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"decision":"Allowed"`) || !strings.Contains(lines[1], `"decision":"ImplicitlyDenied"`) || !strings.Contains(lines[2], `"error"`) {
		t.Fatalf("unexpected output:\n%s", out)
	}
	if !strings.Contains(errOut, "1 of 3 lines") {
		t.Fatalf("stderr should count the bad line: %q", errOut)
	}
}

func TestAuthzBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n \"Version\": \"2012-10-17\",\n \"Statement\": {\"Effect\": \"Alow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n}"), 0o600)
	_, errOut, code := runCLI(t, "", "authz", "--principal", "arn:aws:iam::111111111111:user/a", "--action", "s3:GetObject", "--identity-policy", bad)
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(errOut, bad+":3:") || !strings.Contains(errOut, "Statement.Effect") {
		t.Fatalf("error should name file:line and path: %s", errOut)
	}
	if _, _, code := runCLI(t, "", "authz", "--format", "xml", "--file", "../../fixtures/authz/s3-cross-account.json"); code != 2 {
		t.Fatalf("bad --format: exit %d, want 2", code)
	}
}

// Batch mode exits 0 when every line was decided, whatever the decisions,
// and 2 (after answering every line) when some line was not.
func TestAuthzJSONLExitStatus(t *testing.T) {
	good := `{"id":1,"request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}` + "\n"
	bad := `{"id":2,"request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject"},"identityPolicies":[{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}}]}` + "\n"
	cases := []struct {
		name, in string
		code     int
		lines    int
	}{
		{"all decided", good + good, 0, 2},
		{"bad line last", good + bad, 2, 2},
		{"bad line first", bad + good + good, 2, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, c.in, "authz", "--jsonl")
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, errOut)
			}
			if n := strings.Count(out, "\n"); n != c.lines {
				t.Fatalf("%d output lines, want %d:\n%s", n, c.lines, out)
			}
			if c.code != 0 && !strings.Contains(out, `duplicate key \"Effect\"`) {
				t.Fatalf("the bad line's error is not in the output:\n%s", out)
			}
		})
	}
}
