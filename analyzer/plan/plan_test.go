package plan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	catalog "github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

func loadFixture(t *testing.T, app string, withConfig bool) *inventory.Inventory {
	t.Helper()
	path := filepath.Join("..", "..", "fixtures", app, "plan.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Catalog: catalog.Default()}
	if withConfig {
		opts.ConfigDir = filepath.Dir(path)
	}
	inv, err := Load(context.Background(), path, data, opts)
	if err != nil {
		t.Fatalf("%s: %v", app, err)
	}
	return inv
}

// Every bundled plan loads, alone and with its configuration, and gives
// the functions Terraform planned.
func TestBundledPlansLoad(t *testing.T) {
	plans, _ := filepath.Glob("../../fixtures/*/plan.json")
	if len(plans) < 9 {
		t.Fatalf("found %d bundled plans", len(plans))
	}
	for _, p := range plans {
		app := filepath.Base(filepath.Dir(p))
		for _, withConfig := range []bool{false, true} {
			inv := loadFixture(t, app, withConfig)
			if inv.Source.Kind != "plan" {
				t.Errorf("%s: kind %q", app, inv.Source.Kind)
			}
			managed := 0
			for _, f := range inv.Functions {
				if !f.External {
					managed++
					if strings.Contains(f.ARN, "<") {
						t.Errorf("%s (config %v): function %s ARN %s is symbolic", app, withConfig, f.Address, f.ARN)
					}
				}
			}
			if managed == 0 {
				t.Errorf("%s (config %v): no functions", app, withConfig)
			}
			for _, d := range inv.Diags {
				if d.Severity == "error" {
					t.Errorf("%s (config %v): %s:%d %s %s", app, withConfig, d.File, d.Line, d.Summary, d.Detail)
				}
			}
		}
	}
}

func TestPlanAlonePositionsAndReferences(t *testing.T) {
	inv := loadFixture(t, "thumbnails", false)
	if inv.Account != "123456789012" || inv.Region != "eu-west-1" {
		t.Errorf("account/region %s/%s, want the plan's caller identity and provider region", inv.Account, inv.Region)
	}
	var fn *inventory.Function
	for i := range inv.Functions {
		if inv.Functions[i].Address == "aws_lambda_function.thumbnail" {
			fn = &inv.Functions[i]
		}
	}
	if fn == nil {
		t.Fatal("thumbnail function missing")
	}
	if fn.ARN != "arn:aws:lambda:eu-west-1:123456789012:function:acme-photos-thumbnail" {
		t.Errorf("ARN %s", fn.ARN)
	}
	if !strings.HasSuffix(fn.File, "plan.json") || fn.Line == 0 || fn.Column == 0 {
		t.Errorf("position %s, want a line and column of the plan", fn.Span)
	}
	// The span points at the resource's "address" key in the plan text.
	data, err := os.ReadFile(fn.File)
	if err != nil {
		t.Fatal(err)
	}
	if line := strings.Split(string(data), "\n")[fn.Line-1]; !strings.HasPrefix(string([]rune(line)[fn.Column-1:]), `"address"`) {
		t.Errorf("%s points at %q, want the \"address\" key", fn.Span, line)
	}
	// role = aws_iam_role.thumbnail.arn is unknown in the plan; the
	// reference resolves it.
	if fn.Role != "arn:aws:iam::123456789012:role/acme-photos-thumbnail" {
		t.Errorf("role %q", fn.Role)
	}
	if fn.DeadLetterTarget != "arn:aws:sqs:eu-west-1:123456789012:acme-photos-thumbnail-dlq" {
		t.Errorf("dead letter %q", fn.DeadLetterTarget)
	}
	// source_arn = aws_s3_bucket.uploads.arn reads in the plan like
	// "${aws_s3_bucket.uploads.arn}:*" would: it stays unknown, saying why.
	if len(fn.Permissions) != 1 || len(fn.Permissions[0].Unknown) != 1 ||
		!strings.Contains(fn.Permissions[0].Unknown[0].Reason, "built from aws_s3_bucket.uploads.arn") {
		t.Errorf("permissions %+v", fn.Permissions)
	}
	found := false
	for _, tr := range inv.Triggers {
		if tr.Service == "s3" && tr.FunctionARN == fn.ARN && tr.SourceARN == "arn:aws:s3:::acme-photos-uploads" {
			found = true
		}
	}
	if !found {
		t.Errorf("S3 trigger not joined: %+v", inv.Triggers)
	}
}

func TestDetect(t *testing.T) {
	for in, want := range map[string]bool{
		`{"format_version":"1.2","planned_values":{}}`: true,
		`{"format_version":"1.0","values":{}}`:         false, // a state
		`{"schema":1}`:                                 false,
		`[1]`:                                          false,
		`not json`:                                     false,
	} {
		if got := Detect([]byte(in)); got != want {
			t.Errorf("Detect(%s) = %v", in, got)
		}
	}
}

func TestPlanAloneModules(t *testing.T) {
	inv := loadFixture(t, "stream-analytics", false)
	var alerts *inventory.Function
	for i := range inv.Functions {
		if inv.Functions[i].Address == "module.alerts.aws_lambda_function.this" {
			alerts = &inv.Functions[i]
		}
	}
	if alerts == nil || alerts.Name != "acme-analytics-alerts" {
		t.Fatalf("module function: %+v", alerts)
	}
	// role = aws_iam_role.this.arn inside the module resolves in the
	// module, not at the root.
	if alerts.Role != "arn:aws:iam::123456789012:role/acme-analytics-alerts" {
		t.Errorf("module role %q", alerts.Role)
	}
	var mods []string
	for _, m := range inv.Modules {
		mods = append(mods, m.Address+"="+m.Source)
	}
	if strings.Join(mods, ",") != "module.alerts=./modules/lambda-function,module.enrich=./modules/lambda-function" {
		t.Errorf("modules %v", mods)
	}
	// The Kinesis mapping names the function by module.enrich.function_name,
	// an output whose expression is the module's resource attribute.
	found := false
	for _, tr := range inv.Triggers {
		found = found || (tr.Service == "kinesis" && tr.FunctionAddress == "module.enrich.aws_lambda_function.this")
	}
	if !found {
		t.Errorf("mapping through a module output not joined: %+v", inv.Triggers)
	}
}

// The account of the plan's caller identity (its prior state) is the
// default account, and a variable the HCL leaves unset takes the plan's
// value when the configuration is read beside the plan.
func TestPlanPriorStateAndVariables(t *testing.T) {
	dir := t.TempDir()
	tf := `variable "name" { type = string }
data "aws_caller_identity" "me" {}
resource "aws_lambda_function" "f" {
  function_name = var.name
  role          = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:role/r"
}
`
	plan := `{"format_version":"1.2","terraform_version":"1.11.4",
 "variables":{"name":{"value":"from-plan"}},
 "planned_values":{"root_module":{"resources":[{"address":"aws_lambda_function.f","mode":"managed","type":"aws_lambda_function","name":"f",
   "values":{"function_name":"from-plan","role":"arn:aws:iam::999988887777:role/r"}}]}},
 "prior_state":{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"data.aws_caller_identity.me","mode":"data","type":"aws_caller_identity","name":"me",
   "values":{"account_id":"999988887777","arn":"arn:aws:iam::999988887777:user/u","id":"999988887777","user_id":"X"}}]}}},
 "configuration":{"root_module":{"resources":[{"address":"aws_lambda_function.f","mode":"managed","type":"aws_lambda_function","name":"f",
   "expressions":{"function_name":{"references":["var.name"]}}}]}}}`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, withConfig := range []bool{false, true} {
		opts := Options{Root: dir}
		if withConfig {
			opts.ConfigDir = dir
		}
		inv, err := Load(context.Background(), "plan.json", []byte(plan), opts)
		if err != nil {
			t.Fatal(err)
		}
		if inv.Account != "999988887777" || len(inv.Functions) != 1 {
			t.Fatalf("config %v: account %s, functions %+v", withConfig, inv.Account, inv.Functions)
		}
		f := inv.Functions[0]
		if f.ARN != "arn:aws:lambda:us-east-1:999988887777:function:from-plan" || f.Role != "arn:aws:iam::999988887777:role/r" {
			t.Errorf("config %v: %s %s", withConfig, f.ARN, f.Role)
		}
		if withConfig && (f.File != "main.tf" || f.Line != 3) {
			t.Errorf("position %s:%d, want main.tf:3", f.File, f.Line)
		}
		for _, u := range inv.Unknown {
			if strings.Contains(u.Reason, "var.name") {
				t.Errorf("config %v: var.name reported unset although the plan gives it: %s", withConfig, u.Reason)
			}
		}
	}
}

func TestNotAPlan(t *testing.T) {
	for _, in := range []string{`{"format_version":"1.0"}`, `[`, `{"format_version":"1.2","planned_values":"x"}`} {
		if _, err := Load(context.Background(), "p.json", []byte(in), Options{}); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
}

// A resource that exists already has its AWS-assigned identifiers in the
// plan: they replace the placeholders the configuration alone gives.
func TestPlanKnowsExistingResources(t *testing.T) {
	dir := t.TempDir()
	tf := `resource "aws_kms_key" "k" {}
resource "aws_sqs_queue" "q" {
  name              = "q"
  kms_master_key_id = aws_kms_key.k.arn
}
`
	plan := `{"format_version":"1.2","terraform_version":"1.11.4",
 "planned_values":{"root_module":{"resources":[
  {"address":"aws_kms_key.k","mode":"managed","type":"aws_kms_key","name":"k","values":{"arn":"arn:aws:kms:us-east-1:123456789012:key/1234abcd","key_id":"1234abcd"}},
  {"address":"aws_sqs_queue.q","mode":"managed","type":"aws_sqs_queue","name":"q","values":{"name":"q","kms_master_key_id":"arn:aws:kms:us-east-1:123456789012:key/1234abcd"}}]}},
 "resource_changes":[{"address":"aws_kms_key.k","mode":"managed","type":"aws_kms_key","name":"k","change":{"actions":["no-op"],"after_unknown":{}}}]}`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, withConfig := range []bool{false, true} {
		opts := Options{Root: dir}
		if withConfig {
			opts.ConfigDir = dir
		}
		inv, err := Load(context.Background(), "plan.json", []byte(plan), opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range inv.Resources {
			if r.Type == "aws_sqs_queue" && r.KMSKeyARN != "arn:aws:kms:us-east-1:123456789012:key/1234abcd" {
				t.Errorf("config %v: queue key %q, want the existing key's ARN", withConfig, r.KMSKeyARN)
			}
			if r.Type == "aws_kms_key" && r.ARN != "arn:aws:kms:us-east-1:123456789012:key/1234abcd" {
				t.Errorf("config %v: key ARN %q", withConfig, r.ARN)
			}
		}
	}
}

// A for_each the configuration alone can not expand (over a data source
// read from AWS) expands with the plan's prior state.
func TestPlanExpandsDataDrivenForEach(t *testing.T) {
	dir := t.TempDir()
	tf := `data "aws_sqs_queues" "work" { queue_name_prefix = "work-" }
resource "aws_lambda_event_source_mapping" "m" {
  for_each         = toset(data.aws_sqs_queues.work.queue_urls)
  event_source_arn = "arn:aws:sqs:us-east-1:123456789012:${basename(each.value)}"
  function_name    = "arn:aws:lambda:us-east-1:123456789012:function:worker"
}
`
	plan := `{"format_version":"1.2","terraform_version":"1.11.4",
 "planned_values":{"root_module":{"resources":[]}},
 "prior_state":{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"data.aws_sqs_queues.work","mode":"data","type":"aws_sqs_queues","name":"work",
   "values":{"id":"us-east-1","queue_name_prefix":"work-","queue_urls":["https://sqs.us-east-1.amazonaws.com/123456789012/work-a","https://sqs.us-east-1.amazonaws.com/123456789012/work-b"]}}]}}}}`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	inv, err := Load(context.Background(), "plan.json", []byte(plan), Options{Root: dir, ConfigDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, tr := range inv.Triggers {
		sources = append(sources, tr.SourceARN)
	}
	if strings.Join(sources, ",") != "arn:aws:sqs:us-east-1:123456789012:work-a,arn:aws:sqs:us-east-1:123456789012:work-b" {
		t.Errorf("mappings %v, unknown %+v", sources, inv.Unknown)
	}
}
