package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetectFile(t *testing.T) {
	for _, c := range []struct{ in, kind, err string }{
		{`{"schema":1,"functions":[]}`, Snapshot, ""},
		{`{"format_version":"1.2","planned_values":{"root_module":{}}}`, Plan, ""},
		{"Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", SAM, ""},
		{`{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}`, CFN, ""},
		{"AWSTemplateFormatVersion: x\nResources: [\n", CFN, ""}, // broken: the template reader reports where
		{`{"schema": 1`, Snapshot, ""},                           // broken JSON: the snapshot reader reports where
		{`{"format_version":"1.0","values":{}}`, "", "neither a Terraform plan"},
		{"hello: world\n", "", "not a Terraform plan"},
	} {
		kind, err := DetectFile("in", []byte(c.in))
		if kind != c.kind || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("DetectFile(%q) = %q, %v; want %q, %q", c.in, kind, err, c.kind, c.err)
		}
	}
}

func TestDetectDir(t *testing.T) {
	write := func(dir, name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tf, sam, plan, empty := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	write(tf, "main.tf", "")
	write(tf, "template.yaml", "Resources: {}\n")
	write(sam, "template.yml", "Transform: AWS::Serverless-2016-10-31\nResources: {}\n")
	write(plan, "plan.json", "{}")
	for _, c := range []struct{ dir, kind, file string }{
		{tf, Terraform, ""},
		{sam, SAM, filepath.Join(sam, "template.yml")},
		{plan, Plan, filepath.Join(plan, "plan.json")},
		{empty, "", ""},
	} {
		kind, file := DetectDir(c.dir)
		if kind != c.kind || file != c.file {
			t.Errorf("DetectDir(%s) = %q %q, want %q %q", c.dir, kind, file, c.kind, c.file)
		}
	}
}
