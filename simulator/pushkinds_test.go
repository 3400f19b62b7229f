package simulator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// triggerApps lists the per-kind applications under fixtures/triggers:
// NAME-ok works, NAME-broken is broken on purpose, unmodelled names
// invokers lambdacheck does not model (docs/triggers.md).
func triggerApps(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("../fixtures/triggers/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no trigger fixtures: %v", err)
	}
	return dirs
}

func TestTriggerFixturesGolden(t *testing.T) {
	for _, dir := range triggerApps(t) {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			res := simulateFixture(t, dir)
			got := summary(res)
			path := filepath.Join("testdata", "golden", "triggers", name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if want, err := os.ReadFile(path); err != nil {
				t.Fatalf("%v (run go test ./simulator -run TestTriggerFixturesGolden -update)", err)
			} else if got != string(want) {
				t.Fatalf("flows of %s changed; review and rerun with -update.\n--- got\n%s", name, got)
			}
			invokes := flowsOf(res, flow.KindInvoke)
			unknownService := 0
			for _, f := range res.Flows {
				if f.Reach == "unknown-service" {
					unknownService++
				}
			}
			switch {
			case strings.HasSuffix(name, "-ok"):
				if len(invokes) == 0 {
					t.Fatal("no invocation flows")
				}
				for _, f := range invokes {
					// S3 Object Lambda invokes with its caller's
					// credentials: at best conditional on them.
					callerBound := f.Trigger != nil && f.Trigger.Type == "s3_object_lambda" && f.Decision == flow.Conditional
					if f.Decision != flow.Allowed && !callerBound {
						t.Errorf("%s: %s, want allowed: %+v", f.ID, f.Decision, failingStep(f))
					}
				}
				if unknownService > 0 {
					t.Errorf("%d grants to unknown service principals", unknownService)
				}
			case strings.HasSuffix(name, "-broken"):
				denied := 0
				for _, f := range invokes {
					if f.Decision == flow.Denied {
						denied++
					}
				}
				if denied+unknownService == 0 {
					t.Error("nothing is denied and no grant names an unknown principal")
				}
			case name == "unmodelled":
				if len(invokes) == 0 {
					t.Fatal("no invocation flows")
				}
				for _, f := range invokes {
					if f.Decision != flow.Unknown || f.Trigger.Type != unmodelledService {
						t.Errorf("%s: %s %s, want an unknown unmodelled flow", f.ID, f.Trigger.Type, f.Decision)
					}
				}
			}
		})
	}
}

// An Alexa skill trigger is pinned by its skill id: the permission of
// another skill does not let it in, a permission without a token does.
func TestAlexaTokenPin(t *testing.T) {
	fnARN := "arn:aws:lambda:eu-west-1:123456789012:function:skill"
	inv := &inventory.Inventory{Account: "123456789012", Region: "eu-west-1",
		Functions: []inventory.Function{{Origin: inventory.Origin{Address: "aws_lambda_function.skill"}, Name: "skill", ARN: fnARN, Account: "123456789012", Region: "eu-west-1"}}}
	policy := func(cond string) {
		inv.Functions[0].ResourcePolicies = []inventory.QualifiedPolicy{{Policy: inventory.Policy{Name: "resource-policy", Document: []byte(
			`{"Version":"2012-10-17","Statement":[{"Sid":"Skill","Effect":"Allow","Principal":{"Service":"alexa-appkit.amazon.com"},"Action":"lambda:InvokeFunction","Resource":"` + fnARN + `"` + cond + `}]}`)}}}
	}
	trigger := func(token string) *inventory.Trigger {
		tr := &inventory.Trigger{Origin: inventory.Origin{Address: "aws_lambda_permission.skill"}, Kind: "push", Service: "alexa", Enabled: true, FunctionARN: fnARN, Target: fnARN}
		if token != "" {
			tr.Filter = &inventory.Filter{Expression: token}
		}
		return tr
	}
	pinned := `,"Condition":{"StringEquals":{"lambda:EventSourceToken":"amzn1.ask.skill.a"}}`
	for _, tc := range []struct {
		name, cond, token string
		want              flow.Decision
	}{
		{"same skill", pinned, "amzn1.ask.skill.a", flow.Allowed},
		{"other skill", pinned, "amzn1.ask.skill.b", flow.Denied},
		{"unpinned permission", "", "amzn1.ask.skill.b", flow.Allowed},
		{"skill id unknown", pinned, "", flow.Conditional},
	} {
		t.Run(tc.name, func(t *testing.T) {
			policy(tc.cond)
			w := newWorld(inv, nil, Options{})
			tr := trigger(tc.token)
			st := w.pushStepAs("alexa-appkit.amazon.com", tr, &inv.Functions[0], fnARN)
			if st.Decision != tc.want {
				t.Errorf("%s: %s (%s), want %s", tc.name, st.Decision, st.Reason, tc.want)
			}
		})
	}
}

// A grant to a misspelt service principal is a reach flow naming the
// principal it most resembles; a documented principal is not.
func TestUnknownServicePrincipalFlows(t *testing.T) {
	fn := inventory.Function{Origin: inventory.Origin{Address: "aws_lambda_function.f"}, Name: "f", ARN: "arn:aws:lambda:eu-west-1:123456789012:function:f", Account: "123456789012",
		Permissions: []inventory.Permission{
			{Origin: inventory.Origin{Address: "aws_lambda_permission.typo"}, StatementID: "Typo", Action: "lambda:InvokeFunction", Principal: "alexa-appkit.amazonaws.com"},
			{Origin: inventory.Origin{Address: "aws_lambda_permission.ok"}, StatementID: "Ok", Action: "lambda:InvokeFunction", Principal: "pinpoint.eu-west-1.amazonaws.com"},
			{Origin: inventory.Origin{Address: "aws_lambda_permission.acct"}, StatementID: "Acct", Action: "lambda:InvokeFunction", Principal: "444455556666"},
			{Origin: inventory.Origin{Address: "aws_lambda_permission.sqs"}, StatementID: "Sqs", Action: "lambda:InvokeFunction", Principal: "sqs.amazonaws.com"},
		}}
	w := newWorld(&inventory.Inventory{Functions: []inventory.Function{fn}}, awsref.Default(), Options{})
	got := w.principalFlows()
	if len(got) != 2 {
		t.Fatalf("%d flows, want 2: %+v", len(got), got)
	}
	// SQS is a real service that never invokes (its mappings poll): no
	// suggestion by spelling (ses is one letter away).
	if s := got[1]; s.Principal != "sqs.amazonaws.com" || !s.AWSService || s.Suggestion != "" || !strings.Contains(s.Steps[0].Reason, "the AWS service sqs, which does not invoke Lambda") {
		t.Errorf("sqs flow %+v", s)
	}
	f := got[0]
	if f.AWSService {
		t.Error("alexa-appkit.amazonaws.com taken for an AWS service")
	}
	if f.Principal != "alexa-appkit.amazonaws.com" || f.Suggestion != "alexa-appkit.amazon.com" || f.Grant == nil || f.Grant.Address != "aws_lambda_permission.typo" {
		t.Errorf("flow %+v", f)
	}
	if !strings.Contains(f.Steps[0].Reason, "did you mean alexa-appkit.amazon.com?") {
		t.Errorf("reason %q", f.Steps[0].Reason)
	}
}

// A full resource policy (aws_lambda_resource_policy) that grants an
// unknown service gives the flow too, pointing at the policy; statements
// rendered from permissions are not counted twice.
func TestUnknownServiceInResourcePolicy(t *testing.T) {
	arn := "arn:aws:lambda:eu-west-1:123456789012:function:f"
	doc := `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"Service":["lex.amazon.com","lexv2.amazonaws.com"]},"Action":"lambda:InvokeFunction","Resource":"` + arn + `"},
		{"Effect":"Deny","Principal":{"Service":"sms.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"` + arn + `"}]}`
	fn := inventory.Function{Origin: inventory.Origin{Address: "aws_lambda_function.f"}, Name: "f", ARN: arn, Account: "123456789012",
		ResourcePolicies: []inventory.QualifiedPolicy{{Policy: inventory.Policy{Name: "resource-policy", Document: []byte(doc),
			Origin: inventory.Origin{Address: "aws_lambda_resource_policy.f", Span: loc.At("main.tf", 7)}}}}}
	w := newWorld(&inventory.Inventory{Functions: []inventory.Function{fn}}, nil, Options{})
	got := w.principalFlows()
	if len(got) != 1 {
		t.Fatalf("%d flows, want 1 (the Deny grants nothing): %+v", len(got), got)
	}
	if f := got[0]; f.Principal != "lex.amazon.com" || f.Suggestion != "lex.amazonaws.com" || f.Grant.Address != "aws_lambda_resource_policy.f" || f.Grant.Line != 7 {
		t.Errorf("flow %+v grant %+v", f, f.Grant)
	}
}

// A source in another account sends that account as aws:SourceAccount: a
// permission pinned to the function's own account refuses it.
func TestCrossAccountPushSource(t *testing.T) {
	app := func(sourceAccount string) string {
		return `
resource "aws_iam_role" "h" {
  name               = "h"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_lambda_function" "h" {
  function_name = "h"
  role          = aws_iam_role.h.arn
}
resource "aws_connect_lambda_function_association" "a" {
  instance_id  = "arn:aws:connect:eu-west-1:444455556666:instance/11111111-2222-3333-4444-555555555555"
  function_arn = aws_lambda_function.h.arn
}
resource "aws_lambda_permission" "c" {
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.h.function_name
  principal      = "connect.amazonaws.com"
  source_account = "` + sourceAccount + `"
}
`
	}
	for account, want := range map[string]flow.Decision{"123456789012": flow.Denied, "444455556666": flow.Allowed} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(app(account)), 0o644); err != nil {
			t.Fatal(err)
		}
		res := simulateFixture(t, dir)
		invokes := flowsOf(res, flow.KindInvoke)
		if len(invokes) != 1 || invokes[0].Decision != want {
			t.Errorf("permission pinned to %s: %+v, want one flow %s", account, invokes, want)
		}
	}
}
