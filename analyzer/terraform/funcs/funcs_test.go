package funcs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

func eval(t *testing.T, src string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", src, diags)
	}
	return expr.Value(&hcl.EvalContext{Functions: TableWith("testdata", Files{})})
}

// Expected values are the examples of Terraform's function documentation.
func TestTerraformFunctions(t *testing.T) {
	cases := []struct {
		name, expr string
		want       cty.Value
	}{
		{"length counts string graphemes", `length("héllo")`, cty.NumberIntVal(5)},
		{"length of object", `length({a = 1, b = 2})`, cty.NumberIntVal(2)},
		{"coalesce skips null and empty strings", `coalesce(null, "", "b")`, cty.StringVal("b")},
		{"replace with slashes is a regex", `replace("hello world", "/w.*d/", "there")`, cty.StringVal("hello there")},
		{"replace without slashes is literal", `replace("a.b.c", ".", "-")`, cty.StringVal("a-b-c")},
		{"cidrsubnet doc example", `cidrsubnet("10.1.2.0/24", 4, 15)`, cty.StringVal("10.1.2.240/28")},
		{"cidrsubnet ipv6", `cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`, cty.StringVal("fd00:fd12:3456:7800:a200::/72")},
		{"cidrhost doc example", `cidrhost("10.12.112.0/20", 16)`, cty.StringVal("10.12.112.16")},
		{"cidrhost negative counts from the end", `cidrhost("10.12.112.0/20", -2)`, cty.StringVal("10.12.127.254")},
		{"cidrnetmask doc example", `cidrnetmask("172.16.0.0/12")`, cty.StringVal("255.240.0.0")},
		{"cidrsubnets doc example", `cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, cty.ListVal([]cty.Value{
			cty.StringVal("10.1.0.0/20"), cty.StringVal("10.1.16.0/20"), cty.StringVal("10.1.32.0/24"), cty.StringVal("10.1.48.0/20")})},
		{"uuidv5 doc example", `uuidv5("dns", "www.terraform.io")`, cty.StringVal("a5008fae-b28c-5ba5-96cd-82b4c53552d6")},
		{"jsonencode escapes HTML characters as Terraform does", `jsonencode({a = "<&>"})`, cty.StringVal(`{"a":"\u003c\u0026\u003e"}`)},
		{"templatefile renders with vars", `templatefile("policy.tftpl", {arn = "arn:aws:s3:::b", items = ["x"]})`, cty.StringVal(`{"Resource": "arn:aws:s3:::b", "List": ["x"]}` + "\n")},
		{"file reads relative to the root", `trimspace(file("policy.tftpl"))`, cty.StringVal(`{"Resource": "${arn}", "List": ${jsonencode(items)}}`)},
		{"fileexists", `fileexists("nope.json")`, cty.False},
		{"base64sha256", `base64sha256("hello world")`, cty.StringVal("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")},
		{"sum", `sum([1, 2, 3])`, cty.NumberIntVal(6)},
		{"one of a single-element list", `one(["x"])`, cty.StringVal("x")},
		{"alltrue", `alltrue([true, true])`, cty.True},
		{"anytrue", `anytrue([false, true])`, cty.True},
		{"startswith", `startswith("arn:aws:s3", "arn:")`, cty.True},
		{"strcontains", `strcontains("hello", "ell")`, cty.True},
		{"try falls back", `try(jsondecode("{"), "fallback")`, cty.StringVal("fallback")},
		{"matchkeys doc example", `matchkeys(["i-123", "i-abc"], ["us-west", "us-east"], ["us-east"])`, cty.ListVal([]cty.Value{cty.StringVal("i-abc")})},
		{"transpose", `transpose({a = ["1", "2"], b = ["2"]})`, cty.MapVal(map[string]cty.Value{
			"1": cty.ListVal([]cty.Value{cty.StringVal("a")}), "2": cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := eval(t, tc.expr)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", tc.expr, diags)
			}
			if !got.RawEquals(tc.want) {
				t.Fatalf("%s = %#v, want %#v", tc.expr, got, tc.want)
			}
		})
	}
}

func TestApplyTimeFunctionsAreUnknownWithReason(t *testing.T) {
	for _, expr := range []string{`timestamp()`, `uuid()`, `bcrypt("x")`, `yamldecode("a: 1")`} {
		got, diags := eval(t, expr)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", expr, diags)
		}
		v, rs := reason.Of(got)
		if v.IsKnown() || len(rs) != 1 || !strings.Contains(rs[0].Text, strings.SplitN(expr, "(", 2)[0]) {
			t.Fatalf("%s = %#v reasons %v, want unknown with a reason", expr, got, rs)
		}
	}
}

func TestFunctionErrors(t *testing.T) {
	cases := []struct{ name, expr, want string }{
		{"file that does not exist", `file("missing.json")`, "no file exists"},
		{"templatefile with a missing variable", `templatefile("policy.tftpl", {arn = "x"})`, `vars map does not contain key "items"`},
		{"cidrsubnet out of range", `cidrsubnet("10.0.0.0/24", 4, 16)`, "does not accommodate"},
		{"coalesce of nothing usable", `coalesce("", null)`, "no non-null"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := eval(t, tc.expr)
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.want) {
				t.Fatalf("%s: diags %v, want %q", tc.expr, diags, tc.want)
			}
		})
	}
}

func TestLookupWithNullDefault(t *testing.T) {
	fns := TableWith(t.TempDir(), Files{})
	for _, tc := range []struct {
		expr string
		want cty.Value
	}{
		{`lookup({a = "x"}, "a", null)`, cty.StringVal("x")},
		{`lookup({a = "x"}, "b", null)`, cty.NullVal(cty.DynamicPseudoType)},
		{`lookup({a = "x"}, "b", "d")`, cty.StringVal("d")},
		{`lookup({a = "x"}, "a")`, cty.StringVal("x")},
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(tc.expr), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		got, diags := expr.Value(&hcl.EvalContext{Functions: fns})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", tc.expr, diags)
		}
		if !got.RawEquals(tc.want) {
			t.Errorf("%s = %#v, want %#v", tc.expr, got, tc.want)
		}
	}
}

// A file that does not exist is a MissingFileError the evaluator can tell
// from other errors, naming the file relative to the root module.
func TestMissingFileError(t *testing.T) {
	cases := []struct{ expr, rel string }{
		{`filebase64sha256("build/fn.zip")`, "build/fn.zip"},
		{`filemd5("./build/../build/fn.zip")`, "build/fn.zip"},
		{`file("nested/missing.json")`, "nested/missing.json"},
		{`templatefile("missing.tftpl", {})`, "missing.tftpl"},
		{`filebase64("missing.bin")`, "missing.bin"},
		{`filesha256("missing.bin")`, "missing.bin"},
		{`file(".")`, ""}, // a directory is an error of its own
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			_, diags := eval(t, tc.expr)
			if len(diags) != 1 {
				t.Fatalf("diagnostics = %v", diags)
			}
			extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](diags[0])
			var mf *MissingFileError
			isMissing := ok && errors.As(extra.FunctionCallError(), &mf)
			if tc.rel == "" {
				if isMissing {
					t.Fatalf("%s is a MissingFileError", tc.expr)
				}
				return
			}
			if !isMissing || mf.Rel != tc.rel {
				t.Fatalf("error %v (%#v), want a MissingFileError for %s", diags[0], mf, tc.rel)
			}
		})
	}
}

// Functions that can build results far larger than their input stop at
// their budget with an error naming the limit; smaller calls work.
func TestFunctionBudgets(t *testing.T) {
	fns := TableWith(t.TempDir(), Files{})
	for _, tc := range []struct {
		expr string
		fail bool
	}{
		{`length(range(10))`, false},
		{`length(range(1000000000))`, true},
		{`length(range(0, 1e9, 2))`, true},
		{`length(setproduct(range(10), range(10)))`, false},
		{`length(setproduct(range(1024), range(1024), range(1024)))`, true},
		{`jsondecode("[1]")`, false},
		{`jsondecode(join("", [for i in range(1000) : join("", [for j in range(100) : "xxxxxxxxxxxxxxx"])]))`, true},
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(tc.expr), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		_, diags = expr.Value(&hcl.EvalContext{Functions: fns})
		if diags.HasErrors() != tc.fail || tc.fail && !strings.Contains(diags.Error(), "limit") {
			t.Errorf("%s: %v", tc.expr, diags)
		}
	}
}

// A template nested deeper than the parser can recurse (from a file that
// comes with the change, or a string) is an error, not a stack overflow.
func TestDeeplyNestedTemplatesAreRefused(t *testing.T) {
	deep := "${" + strings.Repeat("(", 200000) + "1" + strings.Repeat(")", 200000) + "}"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "deep.tftpl"), []byte(deep), 0o644); err != nil {
		t.Fatal(err)
	}
	table := TableWith(dir, Files{})
	for _, src := range []string{`templatefile("deep.tftpl", {})`, `templatestring(local.t, {})`} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		_, diags = expr.Value(&hcl.EvalContext{Functions: table, Variables: map[string]cty.Value{
			"local": cty.ObjectVal(map[string]cty.Value{"t": cty.StringVal(deep)}),
		}})
		if !diags.HasErrors() || !strings.Contains(diags.Error(), "nesting limit") {
			t.Errorf("%s: %v, want the nesting limit", src, diags)
		}
	}
}
