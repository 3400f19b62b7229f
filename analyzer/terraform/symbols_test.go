package terraform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
)

// loadSource writes files into a temporary directory and loads it.
func loadSource(t testing.TB, files map[string]string, vars ...eval.VarArg) *inventory.Inventory {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inv, err := Load(context.Background(), dir, Options{Catalog: fakeCatalog{}, Vars: vars})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// queueName loads `resource "aws_sqs_queue" "q" { name = EXPR }` with the
// given declarations beside it and returns the queue's name.
func queueName(t testing.TB, decls, expr string, vars ...eval.VarArg) string {
	t.Helper()
	inv := loadSource(t, map[string]string{"main.tf": decls + "\nresource \"aws_sqs_queue\" \"q\" {\n  name = " + expr + "\n}\n"}, vars...)
	q := findResource(inv, "aws_sqs_queue.q")
	if q == nil {
		t.Fatalf("no queue for %s", expr)
	}
	return q.Name
}

const symbolDecls = `
variable "p" {}
variable "env" { type = string }
variable "names" { type = map(string) }
resource "random_id" "x" { byte_length = 4 }
data "aws_ssm_parameter" "s" { name = "/app/name" }
locals {
  name = "${var.p}-local"
  obj  = { a = var.p, b = "lit" }
}
`

func TestSymbolicValues(t *testing.T) {
	const own = "<aws_sqs_queue.q.name>"
	cases := []struct {
		expr string
		want string // the argument's own symbol when none can be derived
	}{
		{`var.p`, "<var.p>"},
		{`"${var.p}-fn"`, "<var.p>-fn"},
		{`"fn-${random_id.x.hex}"`, "fn-<random_id.x.hex>"},
		{`"${var.p}-${var.env}"`, "<var.p>-<var.env>"},
		{`local.name`, "<var.p>-local"},
		{`"${local.name}-2"`, "<var.p>-local-2"},
		{`local.obj.a`, "<var.p>"},
		{`local.obj["a"]`, "<var.p>"},
		{`format("%s-%s", var.p, "q")`, "<var.p>-q"},
		{`join("-", [var.p, "q"])`, "<var.p>-q"},
		{`lookup({a = var.p}, "a", "d")`, "<var.p>"},
		{`true ? var.p : "x"`, "<var.p>"},
		{`try(local.obj.missing, var.p)`, "<var.p>"},
		{`try("${var.p}-t", "x")`, "<var.p>-t"},
		{`[for s in ["a", "b"] : "${var.p}-${s}"][1]`, "<var.p>-b"},
		{`{for k, v in local.obj : k => "${v}!"}["a"]`, "<var.p>!"},
		{`[for s in [var.p, "x"] : s if s != "x"][0]`, own},
		{`{for k, v in {a = var.p} : v => k}["a"]`, own},
		{`data.aws_ssm_parameter.s.value`, "<data.aws_ssm_parameter.s.value>"},
		{`var.names["k"]`, `<var.names["k"]>`},
		// The value depends on the hidden text: no symbol, no guess.
		{`var.env == "prod" ? "a" : "b"`, own},
		{`lower(var.p)`, own},
		{`upper("${var.p}-x")`, own},
		{`format("%5s", var.p)`, own},
		{`format("%q", var.p)`, own},
		{`lookup({a = "1"}, var.p, "d")`, own},
		{`coalesce(var.p, "d")`, own},
		{`replace(var.p, "a", "b")`, own},
		{`length(var.p) > 3 ? "long" : "short"`, own},
		{`"${var.p == "" ? "x" : "y"}-q"`, own},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			// Stands for the name, whatever it is: identity, not a value.
			if got := queueName(t, symbolDecls, c.expr); got != c.want {
				t.Fatalf("name = %q, want %q", got, c.want)
			}
		})
	}
}

// A symbol is the value it stands for: setting the variable gives exactly
// the symbolic text with the symbol replaced.
func TestSymbolsAgreeWithConcreteValues(t *testing.T) {
	for _, expr := range []string{`"${var.p}-fn"`, `local.name`, `format("%s/%s", var.p, var.p)`, `join(":", [var.p, local.obj.b])`} {
		sym := queueName(t, symbolDecls, expr)
		concrete := queueName(t, symbolDecls, expr, eval.VarArg{Name: "p", Value: "zz"})
		if strings.ReplaceAll(sym, "<var.p>", "zz") != concrete {
			t.Errorf("%s: symbolic %q, concrete %q", expr, sym, concrete)
		}
	}
}

// Resources whose names come from unset variables and random_* still link
// by reference: the role, the trigger and the permission find their
// function, and the policy names the queue's symbolic ARN.
func TestSymbolicNamesLink(t *testing.T) {
	inv := loadSource(t, map[string]string{
		"main.tf": `
variable "prefix" {}
resource "random_id" "x" { byte_length = 4 }
resource "aws_iam_role" "r" {
  name               = "${var.prefix}-role"
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sqs:ReceiveMessage", Resource = aws_sqs_queue.q.arn }] })
}
resource "aws_lambda_function" "f" {
  function_name = "fn-${random_id.x.hex}"
  role          = aws_iam_role.r.arn
}
resource "aws_sqs_queue" "q" { name = "${var.prefix}-q" }
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = aws_lambda_function.f.arn
}
resource "aws_lambda_permission" "p" {
  function_name = aws_lambda_function.f.function_name
  principal     = "sns.amazonaws.com"
}
`})
	f := findFunction(inv, "aws_lambda_function.f")
	if f == nil || f.ARN != "arn:aws:lambda:us-east-1:123456789012:function:fn-<random_id.x.hex>" {
		t.Fatalf("function = %+v", f)
	}
	r := findRole(inv, "aws_iam_role.r")
	if r == nil || f.Role != r.ARN || r.ARN != "arn:aws:iam::123456789012:role/<var.prefix>-role" {
		t.Fatalf("role %+v, function role %q", r, f.Role)
	}
	if len(r.InlinePolicies) != 1 || !strings.Contains(string(r.InlinePolicies[0].Document), "arn:aws:sqs:us-east-1:123456789012:\\u003cvar.prefix\\u003e-q") &&
		!strings.Contains(string(r.InlinePolicies[0].Document), "arn:aws:sqs:us-east-1:123456789012:<var.prefix>-q") {
		t.Fatalf("inline policies = %+v", r.InlinePolicies)
	}
	var linked bool
	for _, tr := range inv.Triggers {
		if tr.FunctionAddress == "aws_lambda_function.f" && tr.SourceARN == "arn:aws:sqs:us-east-1:123456789012:<var.prefix>-q" {
			linked = true
		}
	}
	if !linked {
		t.Fatalf("the mapping is not linked: %+v", inv.Triggers)
	}
	if len(f.Permissions) != 1 {
		t.Fatalf("permissions = %+v", f.Permissions)
	}
}

// FuzzSymbols checks that a symbol never guesses: for any expression over
// two variables, the value computed with them unset is either no symbol at
// all, or text that becomes exactly the concrete value once the variables'
// values replace their symbols.
func FuzzSymbols(f *testing.F) {
	for _, s := range []string{`"${var.p}-fn"`, `local.name`, `format("%s-%s", var.p, var.env)`, `var.env == "x" ? var.p : "y"`,
		`lower(var.p)`, `join("-", [var.p, "q"])`, `lookup({a = var.p}, "a")`, `"${var.p}${var.env}"`, `local.obj.a`, `try(local.obj.zz, var.p)`, `[for s in [var.p, "x"] : "${s}-${var.env}"][0]`, `{for k, v in local.obj : k => v}["b"]`, `{a = var.p}.a`,
		`jsonencode([var.p])`, `substr(var.p, 0, 1)`, `[var.p, var.env][1]`, `true ? var.env : var.p`} {
		f.Add(s)
	}
	const decls = `
variable "p" { type = string }
variable "env" { type = string }
locals {
  name = "${var.p}-local"
  obj  = { a = var.p, b = "lit" }
}
`
	f.Fuzz(func(t *testing.T, expr string) {
		if strings.ContainsAny(expr, "<>\n") || len(expr) > 200 {
			return
		}
		sym := queueName(t, decls, expr)
		if sym == "" || strings.Contains(sym, "<aws_sqs_queue.q.") {
			// The argument's own symbol names it without deriving it.
			return
		}
		concrete := queueName(t, decls, expr, eval.VarArg{Name: "p", Value: "zz"}, eval.VarArg{Name: "env", Value: "ee"})
		// jsonencode writes < and > as \u003c and \u003e.
		got := strings.NewReplacer("<var.p>", "zz", "<var.env>", "ee", `\u003cvar.p\u003e`, "zz", `\u003cvar.env\u003e`, "ee").Replace(sym)
		if got != concrete {
			t.Fatalf("%s: symbolic %q stands for %q, but the concrete value is %q", expr, sym, got, concrete)
		}
	})
}

// An aws_iam_policy_document over symbolic values renders with the
// symbols in it, so the role's policy names the bucket it grants.
func TestSymbolicPolicyDocument(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
variable "env" {}
resource "aws_s3_bucket" "b" { bucket = "${var.env}-data" }
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.b.arn}/*"]
  }
  statement {
    actions   = ["s3:PutObject"]
    resources = [lower(aws_s3_bucket.b.arn)]
  }
}
data "aws_iam_policy_document" "one" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.b.arn}/*"]
  }
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy" "all" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.d.json
}
resource "aws_iam_role_policy" "one" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.one.json
}
`})
	r := findRole(inv, "aws_iam_role.r")
	if r == nil || len(r.InlinePolicies) != 2 {
		t.Fatalf("role = %+v", r)
	}
	for _, p := range r.InlinePolicies {
		switch p.Address {
		case "aws_iam_role_policy.one":
			if !strings.Contains(string(p.Document), `arn:aws:s3:::\u003cvar.env\u003e-data/*`) || len(p.Unknown) != 0 {
				t.Errorf("symbolic document = %s, unknown %+v", p.Document, p.Unknown)
			}
		case "aws_iam_role_policy.all":
			// lower() hides the text: that document is unknown, not guessed.
			if len(p.Document) != 0 || len(p.Unknown) == 0 {
				t.Errorf("document with lower() = %s, unknown %+v", p.Document, p.Unknown)
			}
		}
	}
}

// A count or for_each that waits for an unset variable is not expanded,
// and says so as a warning and an unknown: it does not fail the run.
func TestUnknownExpansionIsAWarning(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
variable "n" { type = number }
variable "names" { type = set(string) }
resource "aws_sqs_queue" "counted" {
  count = var.n
  name  = "q${count.index}"
}
resource "aws_sqs_queue" "each" {
  for_each = var.names
  name     = each.key
}
resource "aws_sqs_queue" "plain" { name = "plain" }
`})
	for _, d := range inv.Diags {
		if d.Severity == "error" {
			t.Fatalf("error: %+v", d)
		}
	}
	listed := map[string]bool{}
	for _, u := range inv.Unknown {
		listed[u.Address] = strings.Contains(u.Reason, "not known")
	}
	if !listed["aws_sqs_queue.counted"] || !listed["aws_sqs_queue.each"] {
		t.Fatalf("unknowns = %+v", inv.Unknown)
	}
	if !hasDiag(inv, "warning", "Instances not known before apply", "main.tf") || findResource(inv, "aws_sqs_queue.plain") == nil {
		t.Fatalf("diags = %+v", inv.Diags)
	}
}

// An attribute of a nested block that the provider computes is unknown,
// not an error; a misspelt top-level argument of a known value still is.
func TestComputedNestedAttribute(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
resource "aws_apigatewayv2_domain_name" "d" {
  domain_name = "api.example.com"
  domain_name_configuration {
    certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/x"
    endpoint_type   = "REGIONAL"
  }
}
resource "aws_sqs_queue" "q" {
  name = "q-${aws_apigatewayv2_domain_name.d.domain_name_configuration[0].hosted_zone_id}"
}
locals { o = { a = "x" } }
resource "aws_sqs_queue" "bad" {
  name = local.o.b
}
`})
	errs := 0
	for _, d := range inv.Diags {
		if d.Severity == "error" {
			errs++
			if d.Line != 14 {
				t.Errorf("unexpected error %+v", d)
			}
		}
	}
	if errs != 1 {
		t.Fatalf("want one error (local.o.b), got %+v", inv.Diags)
	}
	q := findResource(inv, "aws_sqs_queue.q")
	if q == nil || q.Name != "<aws_sqs_queue.q.name>" || len(q.Unknown) == 0 || !strings.Contains(q.Unknown[0].Reason, "nested attribute") {
		t.Fatalf("queue = %+v", q)
	}
}

// An empty dynamic self_managed_event_source block (as community modules
// write it for every mapping) does not make an SQS mapping a Kafka one.
func TestEmptyDynamicKafkaBlock(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
resource "aws_sqs_queue" "q" { name = "q" }
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = "f"
  dynamic "self_managed_event_source" {
    for_each = []
    content {
      endpoints = {}
    }
  }
}
`})
	if len(inv.Triggers) != 1 || inv.Triggers[0].Service != "sqs" {
		t.Fatalf("triggers = %+v", inv.Triggers)
	}
}

// A name no symbol can be derived for (lower() of a variable) is still
// joined by reference: references to the function read its own symbol.
func TestOwnSymbolsLinkByReference(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
variable "prefix" {}
resource "aws_lambda_function" "f" {
  function_name = lower("${var.prefix}-Fn")
  role          = "arn:aws:iam::123456789012:role/r"
}
resource "aws_sqs_queue" "q" { name = "q" }
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = aws_lambda_function.f.arn
}
resource "aws_lambda_permission" "p" {
  function_name = aws_lambda_function.f.function_name
  principal     = "sns.amazonaws.com"
}
`})
	f := findFunction(inv, "aws_lambda_function.f")
	if f == nil || f.Name != "<aws_lambda_function.f.function_name>" || len(f.Permissions) != 1 {
		t.Fatalf("function = %+v", f)
	}
	if len(f.Unknown) == 0 || !strings.Contains(f.Unknown[0].Reason, "var.prefix") {
		t.Fatalf("the name's unknown does not say what it waits for: %+v", f.Unknown)
	}
	if len(inv.Triggers) != 1 || inv.Triggers[0].FunctionAddress != "aws_lambda_function.f" {
		t.Fatalf("triggers = %+v", inv.Triggers)
	}
}

// A statement id unknown before apply decides nothing: the permission's
// statement is kept. A permission whose source is unknown is left out, and
// a policy with no statement left is an empty list, not null.
func TestPermissionStatementsWithUnknowns(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
variable "p" {}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
}
resource "aws_lambda_function" "g" {
  function_name = "g"
  role          = "arn:aws:iam::123456789012:role/r"
}
resource "aws_lambda_permission" "sid" {
  statement_id  = "${lower(var.p)}-s3"
  function_name = aws_lambda_function.f.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = "arn:aws:s3:::b"
}
resource "aws_lambda_permission" "src" {
  function_name = aws_lambda_function.g.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = lower(var.p)
}
`})
	f, g := findFunction(inv, "aws_lambda_function.f"), findFunction(inv, "aws_lambda_function.g")
	if len(f.ResourcePolicies) != 1 || !strings.Contains(string(f.ResourcePolicies[0].Document), `"s3.amazonaws.com"`) {
		t.Fatalf("f's policy = %+v", f.ResourcePolicies)
	}
	if len(g.ResourcePolicies) != 1 || !strings.Contains(string(g.ResourcePolicies[0].Document), `"Statement":[]`) || len(g.ResourcePolicies[0].Unknown) != 1 {
		t.Fatalf("g's policy = %s %+v", g.ResourcePolicies[0].Document, g.ResourcePolicies[0].Unknown)
	}
}

// each.value keeps the symbols of the for_each collection's values, as
// community modules pass ARNs through maps of routes or targets.
func TestForEachValueKeepsSymbols(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
variable "p" {}
locals {
  queues = { a = { name = "${var.p}-a" }, b = { name = "b" } }
}
resource "aws_sqs_queue" "q" {
  for_each = local.queues
  name     = each.value.name
}
`})
	q := findResource(inv, `aws_sqs_queue.q["a"]`)
	if q == nil || q.Name != "<var.p>-a" {
		t.Fatalf("queue = %+v", q)
	}
}

// A Lambda proxy integration whose URI is a module output that is not
// known (the module is not downloaded) still gives the route's trigger,
// aimed at the symbol, instead of dropping it.
func TestSymbolicIntegrationURIKeepsTheRoute(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
module "fn" {
  source = "terraform-aws-modules/lambda/aws"
}
resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_integration" "i" {
  api_id           = aws_apigatewayv2_api.api.id
  integration_type = "AWS_PROXY"
  integration_uri  = module.fn.lambda_function_arn
}
resource "aws_apigatewayv2_route" "r" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "GET /"
  target    = "integrations/${aws_apigatewayv2_integration.i.id}"
}
`})
	var found bool
	for _, tr := range inv.Triggers {
		found = found || tr.Address == "aws_apigatewayv2_route.r" && tr.Target == "<module.fn.lambda_function_arn>"
	}
	if !found {
		t.Fatalf("triggers = %+v", inv.Triggers)
	}
}
