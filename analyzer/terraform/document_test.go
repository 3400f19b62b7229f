package terraform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// A policy written out in full that is not a valid document is a load error
// at the argument (the run exits 2) as well as an unknown; a document with
// symbols for values known only after apply is not judged.
func TestInvalidPolicyDocumentIsALoadError(t *testing.T) {
	const role = `resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}
variable "v" {}
`
	cases := []struct {
		name   string
		policy string // the role policy resource, from line 6 of main.tf
		line   int    // line of the error, 0 for none
		detail string
	}{
		{"heredoc that is not JSON", `resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.name
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [
EOF
}`, 8, "not valid JSON"},
		{"duplicate Statement key", `resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.name
  policy = <<EOF
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
 "Statement": []}
EOF
}`, 8, `duplicate key "Statement"`},
		{"duplicate key in an inline_policy block", `resource "aws_iam_role" "q" {
  name               = "q"
  assume_role_policy = aws_iam_role.r.assume_role_policy
  inline_policy {
    name   = "x"
    policy = "{\"Statement\": {\"Effect\": \"Allow\", \"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}}"
  }
}`, 6, `duplicate key "Effect"`},
		{"valid heredoc", `resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.name
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
EOF
}`, 0, ""},
		{"symbols in valid JSON", `resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.name
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::${var.v}/*"}]}
EOF
}`, 0, ""},
		{"symbol where JSON needs a value", `resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.name
  policy = <<EOF
{"Version": "2012-10-17", "Statement": ${var.v}}
EOF
}`, 0, ""},
		{"document only unknown", `resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.name
  policy = var.v
}`, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(role+c.policy+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			inv, err := Load(context.Background(), dir, Options{Catalog: fakeCatalog{}})
			if err != nil {
				t.Fatal(err)
			}
			var errs []inventory.Diagnostic
			for _, d := range inv.Diags {
				if d.Severity == "error" {
					errs = append(errs, d)
				}
			}
			if c.line == 0 {
				if len(errs) != 0 {
					t.Fatalf("errors for a document that is not wrong: %+v", errs)
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("want one error, got %+v", inv.Diags)
			}
			d := errs[0]
			if d.Summary != "Invalid policy document" || d.Line != c.line || !strings.HasSuffix(d.File, "main.tf") || !strings.Contains(d.Detail, c.detail) {
				t.Fatalf("error = %+v, want main.tf:%d mentioning %q", d, c.line, c.detail)
			}
			// The document is also unknown, so no flow is decided on it.
			unknown := false
			for _, r := range inv.Roles {
				for _, p := range r.InlinePolicies {
					unknown = unknown || (len(p.Unknown) > 0 && p.Document == nil)
				}
			}
			if !unknown {
				t.Fatalf("the invalid document is not recorded as unknown: %+v", inv.Roles)
			}
		})
	}
}
