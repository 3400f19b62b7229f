package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Names from the Terraform reach the terminal tables, the diagnostics and
// the PR comment without their escape sequences and bidi controls, and
// without becoming Markdown links or mentions.
func TestHostileNamesAreInertInTheCLIOutput(t *testing.T) {
	dir := t.TempDir()
	tf := `resource "aws_iam_role" "r" {
  name               = "r\u001b]8;;https://evil.example/\u0007x\u001b]8;;\u0007\u202e"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}
resource "aws_lambda_function" "f" {
  function_name = "fn-\u001b[2J[pwn](https://evil.example)-@octocat"
  role          = aws_iam_role.r.arn
  runtime       = "python3.8"
  handler       = "app.handler"
  filename      = "app.zip"
}
resource "aws_lambda_function_url" "u" {
  function_name      = aws_lambda_function.f.function_name
  authorization_type = "NONE"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"inventory", dir},
		{"simulate", dir},
		{"simulate", dir, "--format", "markdown"},
	} {
		out, errOut, _ := runCLI(t, "", args...)
		all := out + errOut
		if strings.ContainsAny(all, "\x1b\a\u202e") {
			t.Errorf("%v: output keeps control characters:\n%q", args, all)
		}
		if !strings.Contains(out, "octocat") {
			t.Errorf("%v: output lacks the function:\n%s", args, out)
		}
		if args[len(args)-1] == "markdown" && (strings.Contains(out, "](https") || strings.Contains(out, "@octocat") || !strings.Contains(out, "@&#8203;octocat")) {
			t.Errorf("markdown keeps a live link or mention:\n%s", out)
		}
	}
}
