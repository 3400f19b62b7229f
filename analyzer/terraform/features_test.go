package terraform

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
)

// fakeCatalog holds the one AWS managed policy the feature tests attach.
type fakeCatalog struct{}

func (fakeCatalog) ManagedPolicy(nameOrARN string) (awsref.ManagedPolicy, bool) {
	if nameOrARN == "AWSLambdaBasicExecutionRole" || nameOrARN == "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" {
		return awsref.ManagedPolicy{Name: "AWSLambdaBasicExecutionRole", Path: "/service-role/",
			ARN:      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
			Document: []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`)}, true
	}
	return awsref.ManagedPolicy{}, false
}

func findResource(inv *inventory.Inventory, addr string) *inventory.Resource {
	for i := range inv.Resources {
		if inv.Resources[i].Address == addr {
			return &inv.Resources[i]
		}
	}
	return nil
}

func findFunction(inv *inventory.Inventory, addr string) *inventory.Function {
	for i := range inv.Functions {
		if inv.Functions[i].Address == addr {
			return &inv.Functions[i]
		}
	}
	return nil
}

func findRole(inv *inventory.Inventory, addr string) *inventory.Role {
	for i := range inv.Roles {
		if inv.Roles[i].Address == addr {
			return &inv.Roles[i]
		}
	}
	return nil
}

func hasDiag(inv *inventory.Inventory, sev, summary, file string) bool {
	for _, d := range inv.Diags {
		if d.Severity == sev && strings.Contains(d.Summary, summary) && (file == "" || d.File == file) {
			return true
		}
	}
	return false
}

func TestEvaluationFeatures(t *testing.T) {
	cases := []struct {
		name  string
		dir   string
		opts  Options
		check func(t *testing.T, inv *inventory.Inventory)
	}{
		{
			// Override files apply after the primary files, in lexical
			// order: arguments replace arguments, a nested block type
			// replaces all blocks of that type, locals value by value.
			name: "override files patch the blocks they name",
			dir:  "override",
			check: func(t *testing.T, inv *inventory.Inventory) {
				fn := findFunction(inv, "aws_lambda_function.worker")
				if fn == nil {
					t.Fatal("no function")
				}
				if fn.Name != "acme-prod-eu-worker" || fn.Region != "eu-central-1" {
					t.Errorf("name/region = %s/%s, want the overridden variable, local and provider", fn.Name, fn.Region)
				}
				if fn.Runtime != "python3.13" || fn.Timeout != 60 || fn.Handler != "app.handler" {
					t.Errorf("runtime %s timeout %d handler %s: want python3.13 and the JSON override's 60 s, the rest kept", fn.Runtime, fn.Timeout, fn.Handler)
				}
				if len(fn.Environment) != 1 || fn.Environment[0].Key != "TABLE_NAME" {
					t.Errorf("environment = %+v, want the override's block only", fn.Environment)
				}
				if r := findRole(inv, "aws_iam_role.worker"); r == nil || r.Name != "acme-prod-eu-worker" || r.MaxSessionDuration != 7200 {
					t.Errorf("role = %+v, want the JSON override's max_session_duration", r)
				}
				if len(inv.Diags) != 0 {
					t.Errorf("diagnostics = %+v", inv.Diags)
				}
			},
		},
		{
			name: "a native override patches blocks written in JSON",
			dir:  "override-json",
			check: func(t *testing.T, inv *inventory.Inventory) {
				q := findResource(inv, "aws_sqs_queue.jobs")
				if q == nil || q.Name != "jobs-prod" || !strings.HasSuffix(q.ARN, ":jobs-prod") {
					t.Fatalf("queue = %+v", q)
				}
				fn := findFunction(inv, "aws_lambda_function.worker")
				if fn == nil || fn.Runtime != "python3.12" || len(fn.Environment) != 1 || fn.Environment[0].Key != "QUEUE_URL" {
					t.Fatalf("function = %+v", fn)
				}
				if len(inv.Diags) != 0 {
					t.Fatalf("diagnostics = %+v", inv.Diags)
				}
			},
		},
		{
			name: "an override of an undeclared block is an error",
			dir:  "override-missing",
			check: func(t *testing.T, inv *inventory.Inventory) {
				if !hasDiag(inv, "error", "Missing base resource to override", "jobs_override.tf") {
					t.Fatalf("diagnostics = %+v", inv.Diags)
				}
				if q := findResource(inv, "aws_sqs_queue.jobs"); q == nil || q.Name != "jobs" {
					t.Fatalf("the primary queue = %+v", q)
				}
			},
		},
		{
			// Terraform's variable definition precedence: defaults, TF_VAR_,
			// terraform.tfvars, *.auto.tfvars in lexical order, then -var and
			// -var-file in command-line order.
			name: "variable precedence follows Terraform",
			dir:  "vars",
			opts: Options{
				Env:  []string{"TF_VAR_from_env=env", "TF_VAR_from_tfvars=env", "TF_VAR_list=[\"x\",\"y\"]"},
				Vars: []eval.VarArg{{Name: "from_cli", Value: "cli"}, {File: "testdata/eval/vars/cli.tfvars"}},
			},
			check: func(t *testing.T, inv *inventory.Inventory) {
				q := findResource(inv, "aws_sqs_queue.q")
				if q == nil || q.Name != "default-env-tfvars-b-auto-file-2" {
					t.Fatalf("queue name = %+v", q)
				}
			},
		},
		{
			name: "unset variable is symbolic, with its reason",
			dir:  "vars",
			check: func(t *testing.T, inv *inventory.Inventory) {
				topic := findResource(inv, "aws_sns_topic.t")
				if topic == nil || topic.Name != "topic-<var.unset>" || topic.ARN != "arn:aws:sns:us-east-1:123456789012:topic-<var.unset>" {
					t.Fatalf("topic = %+v, want the symbolic name and ARN", topic)
				}
				var listed int
				for _, u := range inv.Unknown {
					if u.Address == "var.unset" && strings.Contains(u.Reason, "needs a value") && u.File == "main.tf" && u.Line == 10 {
						listed++
					}
				}
				if listed != 1 {
					t.Fatalf("var.unset is not listed once among the unknowns: %+v", inv.Unknown)
				}
				if !hasDiag(inv, "warning", "Variables without values", "main.tf") {
					t.Fatalf("no warning for var.unset: %+v", inv.Diags)
				}
				for _, d := range inv.Diags {
					if d.Severity == "error" {
						t.Fatalf("an unset variable is not an error: %+v", d)
					}
				}
			},
		},
		{
			name: "--strict-vars: an unset variable is an error, as in Terraform",
			dir:  "vars",
			opts: Options{StrictVars: true},
			check: func(t *testing.T, inv *inventory.Inventory) {
				if !hasDiag(inv, "error", "No value for required variable", "main.tf") {
					t.Fatalf("no error for var.unset: %+v", inv.Diags)
				}
			},
		},
		{
			name: "modules consume each other's outputs, with for_each, provider mapping and path.module",
			dir:  "modules",
			check: func(t *testing.T, inv *inventory.Inventory) {
				f := findFunction(inv, `module.api["a"].aws_lambda_function.this`)
				if f == nil || f.ARN != "arn:aws:lambda:eu-central-1:123456789012:function:api-a" {
					t.Fatalf("function = %+v", f)
				}
				q := findResource(inv, "module.queue.aws_sqs_queue.this")
				if q == nil || q.ARN != "arn:aws:sqs:us-east-1:123456789012:jobs" {
					t.Fatalf("queue (provider aws.east passed to the module) = %+v", q)
				}
				var polls int
				for _, tr := range inv.Triggers {
					if tr.Kind == "poll" && tr.SourceARN == q.ARN && strings.HasPrefix(tr.FunctionAddress, "module.api[") {
						polls++
					}
				}
				if polls != 2 {
					t.Fatalf("%d event source mappings joined to the queue, want 2: %+v", polls, inv.Triggers)
				}
			},
		},
		{
			name: "downloaded module from modules.json loads, missing registry module is unknown",
			dir:  "registry",
			check: func(t *testing.T, inv *inventory.Inventory) {
				f := findFunction(inv, "module.downloaded.aws_lambda_function.this")
				if f == nil || f.Name != "fetched" {
					t.Fatalf("downloaded module function = %+v", f)
				}
				if len(f.Permissions) != 1 || f.Permissions[0].SourceARN != "<module.missing.queue_arn>" {
					t.Fatalf("permissions = %+v", f.Permissions)
				}
				if len(f.Permissions[0].Unknown) != 0 {
					t.Fatalf("a symbolic source ARN is not an unknown field: %+v", f.Permissions[0].Unknown)
				}
				var notLoaded []string
				for _, m := range inv.Modules {
					if !m.Loaded {
						notLoaded = append(notLoaded, m.Address)
					}
				}
				var unknown []string
				for _, u := range inv.Unknown {
					unknown = append(unknown, u.Address)
				}
				want := []string{"module.later[0]", "module.later[1]", "module.missing"}
				if !reflect.DeepEqual(notLoaded, want) || !reflect.DeepEqual(unknown, want) {
					t.Fatalf("modules = %+v unknown = %+v", inv.Modules, inv.Unknown)
				}
				// One warning per module call, naming it and the fix.
				var warned []string
				for _, d := range inv.Diags {
					if d.Severity == "warning" && d.Summary == "Module not installed" && strings.Contains(d.Detail, "run terraform init") {
						warned = append(warned, fmt.Sprintf("%s:%d %s", d.File, d.Line, d.Detail[:strings.Index(d.Detail, " (")]))
					}
				}
				if !reflect.DeepEqual(warned, []string{`main.tf:7 module "missing"`, `main.tf:21 module "later"`}) || len(inv.Diags) != 2 {
					t.Fatalf("warnings = %v, diagnostics = %+v", warned, inv.Diags)
				}
			},
		},
		{
			name: "resource.TYPE.NAME references resolve like TYPE.NAME",
			dir:  "resourceprefix",
			check: func(t *testing.T, inv *inventory.Inventory) {
				if len(inv.Diags) != 0 {
					t.Fatalf("diagnostics = %+v", inv.Diags)
				}
				const queue = "arn:aws:sqs:us-east-1:123456789012:jobs"
				const fn = "arn:aws:lambda:us-east-1:123456789012:function:worker"
				if len(inv.Triggers) != 1 || inv.Triggers[0].SourceARN != queue || inv.Triggers[0].FunctionARN != fn || inv.Triggers[0].Service != "sqs" {
					t.Fatalf("triggers = %+v", inv.Triggers)
				}
				f := findFunction(inv, "aws_lambda_function.worker")
				if f == nil || len(f.Permissions) != 1 || f.Permissions[0].SourceARN != queue {
					t.Fatalf("function = %+v", f)
				}
			},
		},
		{
			name: "Terraform 0.11 variable types are read as Terraform reads them",
			dir:  "legacytypes",
			check: func(t *testing.T, inv *inventory.Inventory) {
				for i, want := range []string{"legacy-orders", "legacy-refunds"} {
					q := findResource(inv, fmt.Sprintf("aws_sqs_queue.q[%d]", i))
					if q == nil || q.Name != want {
						t.Fatalf("queue %d = %+v, want %s", i, q, want)
					}
				}
				var warnings []int
				for _, d := range inv.Diags {
					if d.Severity != "warning" || d.Summary != "Quoted type constraints are deprecated" {
						t.Fatalf("diagnostic %+v", d)
					}
					warnings = append(warnings, d.Line)
				}
				if !reflect.DeepEqual(warnings, []int{9, 14}) {
					t.Fatalf("warnings at lines %v, want 9 and 14 (the quoted types)", warnings)
				}
			},
		},
		{
			name: "a missing file is unknown with its name, one warning per file, not an error",
			dir:  "missingfiles",
			check: func(t *testing.T, inv *inventory.Inventory) {
				var got []string
				for _, d := range inv.Diags {
					got = append(got, fmt.Sprintf("%s %s:%d %s", d.Severity, d.File, d.Line, d.Detail))
				}
				want := []string{
					"warning main.tf:16 file build/fn.zip does not exist (a build artifact created before apply?); what is read from it is unknown. Create it (run the build) before lambdacheck to have those values resolved.",
					"warning main.tf:36 file policies/generated.json.tftpl does not exist (a build artifact created before apply?); what is read from it is unknown. Create it (run the build) before lambdacheck to have those values resolved.",
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				if q := findResource(inv, "aws_sqs_queue.q"); q == nil || q.Name != "fallback-no" {
					t.Fatalf("queue = %+v, want try()'s fallback and fileexists() false", q)
				}
				r := findRole(inv, "aws_iam_role.worker")
				if r == nil || len(r.InlinePolicies) != 2 {
					t.Fatalf("role = %+v", r)
				}
				var generated, written *inventory.Policy
				for k := range r.InlinePolicies {
					if p := &r.InlinePolicies[k]; p.Address == "aws_iam_role_policy.generated" {
						generated = p
					} else {
						written = p
					}
				}
				if written == nil || written.Document == nil {
					t.Fatalf("the policy read from an existing file = %+v", written)
				}
				if generated == nil || generated.Document != nil || len(generated.Unknown) != 1 ||
					generated.Unknown[0].Reason != "file policies/generated.json.tftpl does not exist (a build artifact created before apply?)" ||
					generated.Unknown[0].File != "main.tf" || generated.Unknown[0].Line != 36 {
					t.Fatalf("the policy read from a missing file = %+v", generated)
				}
			},
		},
		{
			// Broker, cluster and DocumentDB ARNs are computed with the
			// documented placeholders; where the ARN is unknown until apply,
			// the type its event_source_arn refers to names the source kind
			// (and so the role's required reads and Lambda's batch default).
			name: "event source kinds from the source ARN, else from the referenced resource type",
			dir:  "esmkinds",
			check: func(t *testing.T, inv *inventory.Inventory) {
				want := map[string][3]string{ // service, source ARN, batch size
					"aws_lambda_event_source_mapping.mq":             {"mq", "arn:aws:mq:us-east-1:123456789012:broker:orders:<aws_mq_broker.orders.id>", "10"},
					"aws_lambda_event_source_mapping.mq_unnamed":     {"mq", "arn:aws:mq:us-east-1:123456789012:broker:<var.name>:<aws_mq_broker.unnamed.id>", "10"},
					"aws_lambda_event_source_mapping.msk":            {"kafka", "arn:aws:kafka:us-east-1:123456789012:cluster/events/<aws_msk_cluster.events.cluster_uuid>", "100"},
					"aws_lambda_event_source_mapping.msk_unnamed":    {"kafka", "arn:aws:kafka:us-east-1:123456789012:cluster/<var.name>/<aws_msk_serverless_cluster.unnamed.cluster_uuid>", "100"},
					"aws_lambda_event_source_mapping.docdb":          {"docdb", "arn:aws:rds:us-east-1:123456789012:cluster:ledger", "100"},
					"aws_lambda_event_source_mapping.stream_unnamed": {"dynamodb", "arn:aws:dynamodb:us-east-1:123456789012:table/<var.name>/stream/<aws_dynamodb_table.unnamed.stream_label>", "100"},
					"aws_lambda_event_source_mapping.either":         {"unknown", "<aws_lambda_event_source_mapping.either.event_source_arn>", "0"},
				}
				if len(inv.Triggers) != len(want) {
					t.Fatalf("triggers = %+v", inv.Triggers)
				}
				for _, tr := range inv.Triggers {
					got := [3]string{tr.Service, tr.SourceARN, fmt.Sprint(tr.Batch.BatchSize)}
					if got != want[tr.Address] {
						t.Errorf("%s: service, source ARN, batch size = %q, want %q", tr.Address, got, want[tr.Address])
					}
					if tr.SourceARN == "" && (len(tr.Unknown) == 0 || !strings.Contains(tr.Unknown[0].Reason, "var.")) {
						t.Errorf("%s: unknown = %+v, want the reason the ARN is unknown", tr.Address, tr.Unknown)
					}
				}
			},
		},
		{
			name: "syntax error in one file is reported with position and the rest loads",
			dir:  "syntax",
			check: func(t *testing.T, inv *inventory.Inventory) {
				var d *inventory.Diagnostic
				for i := range inv.Diags {
					if inv.Diags[i].File == "bad.tf" {
						d = &inv.Diags[i]
					}
				}
				if d == nil || d.Severity != "error" || d.Line != 2 || d.Column == 0 {
					t.Fatalf("diagnostics = %+v", inv.Diags)
				}
				if findResource(inv, "aws_sqs_queue.ok") == nil {
					t.Fatal("good.tf was not loaded")
				}
				if len(inv.Skipped) != 1 || inv.Skipped[0].Type != "aws_vpc" || inv.Skipped[0].Count != 1 {
					t.Fatalf("skipped = %+v", inv.Skipped)
				}
			},
		},
		{
			name: "tf.json files with template strings",
			dir:  "jsonsyntax",
			check: func(t *testing.T, inv *inventory.Inventory) {
				f := findFunction(inv, "aws_lambda_function.f")
				if f == nil || f.Name != "json-fn" || len(f.Environment) != 1 || !f.Environment[0].LooksSecret {
					t.Fatalf("function = %+v", f)
				}
			},
		},
		{
			// The document Terraform 1.11 plans for this file (checked
			// with terraform plan): the static statement, then one per
			// for_each element, named through the iterator.
			name: "JSON-syntax dynamic blocks expand like native ones",
			dir:  "jsondynamic",
			check: func(t *testing.T, inv *inventory.Inventory) {
				r := findRole(inv, "aws_iam_role.reader")
				if r == nil || len(r.InlinePolicies) != 1 {
					t.Fatalf("role = %+v", r)
				}
				want := `{"Version":"2012-10-17","Statement":[{"Sid":"Queue","Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"},{"Sid":"Read0","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-a/*"},{"Sid":"Read1","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-b/*"}]}`
				var got, exp any
				if err := json.Unmarshal(r.InlinePolicies[0].Document, &got); err != nil {
					t.Fatal(err)
				}
				json.Unmarshal([]byte(want), &exp)
				if !reflect.DeepEqual(got, exp) {
					t.Fatalf("policy = %s", r.InlinePolicies[0].Document)
				}
				if len(inv.Diags) != 0 {
					t.Fatalf("diagnostics = %+v", inv.Diags)
				}
			},
		},
		{
			name: "JSON dynamic blocks: unknown for_each stays unknown with its reason; a malformed one is an error at its line",
			dir:  "jsondynamic-invalid",
			check: func(t *testing.T, inv *inventory.Inventory) {
				r := findRole(inv, "aws_iam_role.reader")
				if r == nil || len(r.InlinePolicies) != 1 || r.InlinePolicies[0].Document != nil {
					t.Fatalf("role = %+v, want its policy unknown", r)
				}
				u := r.InlinePolicies[0].Unknown
				if len(u) != 1 || !strings.Contains(u[0].Reason, "for_each is not known") || !strings.Contains(u[0].Reason, "var.buckets has no value") || u[0].Line != 10 {
					t.Fatalf("unknown = %+v", u)
				}
				found := false
				for _, d := range inv.Diags {
					found = found || d.Severity == "error" && d.Summary == "Invalid dynamic block" && d.File == "main.tf.json" && d.Line == 17
				}
				if !found {
					t.Fatalf("no error for the dynamic block without content: %+v", inv.Diags)
				}
			},
		},
		{
			name: "reference cycle is a diagnostic, not a hang",
			dir:  "cycle",
			check: func(t *testing.T, inv *inventory.Inventory) {
				if !hasDiag(inv, "error", "Cycle", "main.tf") {
					t.Fatalf("diagnostics = %+v", inv.Diags)
				}
				q := findResource(inv, "aws_sqs_queue.q")
				if q == nil || q.Name != "<aws_sqs_queue.q.name>" || len(q.Unknown) == 0 || !strings.Contains(q.Unknown[0].Reason, "cycle") {
					t.Fatalf("queue = %+v", q)
				}
			},
		},
		{
			name: "legacy style: quoted refs, attribute blocks, single Statement object, templatefile, data sources, provider alias",
			dir:  "legacy",
			opts: Options{Account: "111122223333"},
			check: func(t *testing.T, inv *inventory.Inventory) {
				f := findFunction(inv, "aws_lambda_function.f")
				if f == nil || f.ARN != "arn:aws:lambda:us-east-1:111122223333:function:legacy-eu-west-1-eu-west-1" {
					t.Fatalf("function = %+v", f)
				}
				keys := map[string]bool{}
				for _, e := range f.Environment {
					keys[e.Key] = e.LooksSecret
				}
				if len(keys) != 3 || !keys["DB_PASSWORD"] || keys["ACCOUNT"] {
					t.Fatalf("environment = %+v", f.Environment)
				}
				r := findRole(inv, "aws_iam_role.r")
				if r == nil || r.TrustPolicy == nil || !strings.Contains(string(r.TrustPolicy.Document), `"Statement":{"Effect"`) {
					t.Fatalf("trust policy = %+v", r)
				}
				if len(r.AttachedPolicies) != 1 || r.AttachedPolicies[0].Managed != "aws" || len(r.AttachedPolicies[0].Document) == 0 {
					t.Fatalf("attached = %+v", r.AttachedPolicies)
				}
				if len(r.InlinePolicies) != 1 || !strings.Contains(string(r.InlinePolicies[0].Document), `"Resource":"arn:aws:sqs:eu-west-1:111122223333:legacy-input"`) {
					t.Fatalf("inline = %+v", r.InlinePolicies)
				}
				var doc map[string]any
				if err := json.Unmarshal(r.InlinePolicies[0].Document, &doc); err != nil {
					t.Fatal(err)
				}
				q := findResource(inv, "data.aws_sqs_queue.existing")
				if q == nil || !q.External || q.ARN != "arn:aws:sqs:eu-west-1:111122223333:legacy-input" {
					t.Fatalf("looked-up queue = %+v", q)
				}
				var joined bool
				for _, tr := range inv.Triggers {
					joined = joined || (tr.SourceARN == q.ARN && tr.FunctionAddress == "aws_lambda_function.f")
				}
				if !joined {
					t.Fatalf("format()-built source ARN does not join the looked-up queue: %+v", inv.Triggers)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Catalog = fakeCatalog{}
			inv, err := Load(context.Background(), filepath.Join("testdata", "eval", tc.dir), opts)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, inv)
		})
	}
}

func TestLoadRefusesADirectoryWithoutConfiguration(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(context.Background(), dir, Options{Catalog: fakeCatalog{}}); err == nil || !strings.Contains(err.Error(), "no configuration files") {
		t.Fatalf("empty directory: err = %v", err)
	}
}
