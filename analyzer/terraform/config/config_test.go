package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// load writes files into a temporary module directory and loads it.
func load(t *testing.T, files map[string]string) (*Module, hcl.Diagnostics) {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m, diags, err := LoadIn(context.Background(), nil, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	return m, diags
}

// hasDiag reports a diagnostic of the severity whose summary contains
// summary, in file at line.
func hasDiag(diags hcl.Diagnostics, sev hcl.DiagnosticSeverity, summary, file string, line int) bool {
	for _, d := range diags {
		if d.Severity == sev && strings.Contains(d.Summary, summary) && d.Subject != nil &&
			d.Subject.Filename == file && d.Subject.Start.Line == line {
			return true
		}
	}
	return false
}

func TestLoadDeclarations(t *testing.T) {
	m, diags := load(t, map[string]string{
		"main.tf": `variable "stage" {
  type    = string
  default = "dev"
}

variable "untyped" {}

locals {
  a = 1
  b = "x"
}

output "arn" {
  value = aws_sqs_queue.q.arn
}

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "east"
  region = "us-east-1"
}

module "worker" {
  source    = "./modules/worker"
  count     = 2
  name      = "w"
  providers = { aws = aws.east }
}

resource "aws_sqs_queue" "q" {
  provider = aws.east
  for_each = toset(["a"])
  name     = each.key
}

data "aws_caller_identity" "me" {}
`,
		"skipped.txt": `not terraform`,
	})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if v := m.Variables["stage"]; v == nil || !v.HasType || v.Type != cty.String || v.Default != cty.StringVal("dev") {
		t.Errorf("variable stage = %+v", v)
	}
	if v := m.Variables["untyped"]; v == nil || v.HasType || v.Default != cty.NilVal {
		t.Errorf("variable untyped = %+v", v)
	}
	if len(m.Locals) != 2 || m.Outputs["arn"] == nil || m.Outputs["arn"].Expr == nil {
		t.Errorf("locals %d, outputs %+v", len(m.Locals), m.Outputs)
	}
	if m.Providers["aws"] == nil || m.Providers["aws.east"] == nil || m.Providers["aws.east"].Alias != "east" {
		t.Errorf("providers = %+v", m.Providers)
	}
	mc := m.ModuleCalls["worker"]
	if mc == nil || mc.Source != "./modules/worker" || mc.Count == nil || mc.Args["name"] == nil || mc.Providers["aws"] != "aws.east" {
		t.Errorf("module call = %+v", mc)
	}
	if len(m.Resources) != 2 {
		t.Fatalf("resources = %d", len(m.Resources))
	}
	q, me := m.Resources[0], m.Resources[1]
	if q.Key() != "aws_sqs_queue.q" || q.Provider != "aws.east" || q.ForEach == nil || q.Count != nil {
		t.Errorf("queue = %+v", q)
	}
	if me.Key() != "data.aws_caller_identity.me" || me.Provider != "aws" {
		t.Errorf("data source = %+v", me)
	}
	if len(m.Files) != 1 || m.Files[0] != "main.tf" {
		t.Errorf("files = %v", m.Files)
	}
}

func TestLoadDiagnostics(t *testing.T) {
	cases := []struct {
		name    string
		files   map[string]string
		sev     hcl.DiagnosticSeverity
		summary string
		file    string
		line    int
	}{
		{"duplicate variable across files",
			map[string]string{"a.tf": "variable \"x\" {}\n", "b.tf": "\n\nvariable \"x\" {}\n"},
			hcl.DiagError, "Duplicate variable", "b.tf", 3},
		{"duplicate resource",
			map[string]string{"main.tf": "resource \"aws_sqs_queue\" \"q\" {}\nresource \"aws_sqs_queue\" \"q\" {}\n"},
			hcl.DiagError, "Duplicate resource", "main.tf", 2},
		{"duplicate local value",
			map[string]string{"main.tf": "locals {\n  a = 1\n}\nlocals {\n  a = 2\n}\n"},
			hcl.DiagError, "Duplicate local value", "main.tf", 5},
		{"count with for_each",
			map[string]string{"main.tf": "resource \"aws_sqs_queue\" \"q\" {\n  count    = 1\n  for_each = {}\n}\n"},
			hcl.DiagError, `Invalid combination of "count" and "for_each"`, "main.tf", 1},
		{"module without source",
			map[string]string{"main.tf": "module \"m\" {\n  x = 1\n}\n"},
			hcl.DiagError, "Missing module source", "main.tf", 1},
		{"module source not a literal",
			map[string]string{"main.tf": "module \"m\" {\n  source = var.path\n}\n"},
			hcl.DiagError, "Invalid module source", "main.tf", 2},
		{"variable default against its type",
			map[string]string{"main.tf": "variable \"n\" {\n  type    = number\n  default = \"ten\"\n}\n"},
			hcl.DiagError, "Invalid default value for variable", "main.tf", 3},
		{"quoted type other than string, list or map",
			map[string]string{"main.tf": "variable \"n\" {\n  type = \"number\"\n}\n"},
			hcl.DiagError, "Invalid legacy variable type hint", "main.tf", 2},
		{"syntax error in one file, the other still loads",
			map[string]string{"bad.tf": "resource \"aws_sqs_queue\" \"q\" {\n", "good.tf": "resource \"aws_sns_topic\" \"t\" {}\n"},
			hcl.DiagError, "Unclosed configuration block", "bad.tf", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, diags := load(t, c.files)
			if !hasDiag(diags, c.sev, c.summary, c.file, c.line) {
				t.Fatalf("want %q at %s:%d, got %v", c.summary, c.file, c.line, diags)
			}
			if c.file == "bad.tf" {
				found := false
				for _, r := range m.Resources {
					found = found || r.Key() == "aws_sns_topic.t"
				}
				if !found {
					t.Fatal("the file without errors did not load")
				}
			}
		})
	}
}

func TestLoadReadsFilesInLexicalOrderAndSkipsOthers(t *testing.T) {
	m, _ := load(t, map[string]string{
		"b.tf":          "resource \"aws_sqs_queue\" \"b\" {}\n",
		"a.tf.json":     `{"resource": {"aws_sqs_queue": {"a": {}}}}`,
		".hidden.tf":    "resource \"aws_sqs_queue\" \"hidden\" {}\n",
		"notes.tf.bak":  "resource \"aws_sqs_queue\" \"bak\" {}\n",
		"c_override.tf": "resource \"aws_sqs_queue\" \"b\" {\n  name = \"b2\"\n}\n",
	})
	var keys []string
	for _, r := range m.Resources {
		keys = append(keys, r.Key())
	}
	if strings.Join(keys, " ") != "aws_sqs_queue.a aws_sqs_queue.b" {
		t.Fatalf("resources = %v", keys)
	}
	if strings.Join(m.Files, " ") != "a.tf.json b.tf c_override.tf" {
		t.Fatalf("files = %v", m.Files)
	}
}

// Terraform 0.11 type syntax: Terraform reads the bare keywords list and map
// as list(any) and map(any); the quoted forms are read as their types with
// a warning (Terraform 0.12 to 0.14), JSON strings like native keywords.
func TestLegacyVariableTypes(t *testing.T) {
	anyList, anyMap := cty.List(cty.DynamicPseudoType), cty.Map(cty.DynamicPseudoType)
	cases := []struct {
		name, file, src string
		want            cty.Type
		warn            bool
	}{
		{"bare list", "main.tf", `type = list`, anyList, false},
		{"bare map", "main.tf", `type = map`, anyMap, false},
		{"quoted string", "main.tf", `type = "string"`, cty.String, true},
		{"quoted list", "main.tf", `type = "list"`, anyList, true},
		{"quoted map", "main.tf", `type = "map"`, anyMap, true},
		{"modern list(string) is unchanged", "main.tf", `type = list(string)`, cty.List(cty.String), false},
		{"JSON list", "main.tf.json", `"type": "list"`, anyList, false},
		{"JSON string", "main.tf.json", `"type": "string"`, cty.String, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := "variable \"v\" {\n  " + c.src + "\n}\n"
			if strings.HasSuffix(c.file, ".json") {
				src = `{"variable": {"v": {` + c.src + `}}}`
			}
			m, diags := load(t, map[string]string{c.file: src})
			if diags.HasErrors() {
				t.Fatalf("errors: %v", diags)
			}
			if c.warn != (len(diags) == 1 && diags[0].Severity == hcl.DiagWarning && diags[0].Subject.Start.Line == 2) {
				t.Fatalf("diagnostics = %v, want a warning at line 2: %v", diags, c.warn)
			}
			v := m.Variables["v"]
			if v == nil || !v.HasType || !v.Type.Equals(c.want) {
				t.Fatalf("variable = %+v, want type %#v", v, c.want)
			}
		})
	}
}
