package terraform

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

const fnDecl = `
resource "aws_lambda_function" "h" {
  function_name = "h"
  role          = "arn:aws:iam::123456789012:role/h"
}
`

const fnARN = "arn:aws:lambda:us-east-1:123456789012:function:h"

// triggersOf returns the triggers of one service, in inventory order.
func triggersOf(inv *inventory.Inventory, service string) []inventory.Trigger {
	var out []inventory.Trigger
	for _, t := range inv.Triggers {
		if t.Service == service {
			out = append(out, t)
		}
	}
	return out
}

func oneTrigger(t *testing.T, inv *inventory.Inventory, service string) inventory.Trigger {
	t.Helper()
	ts := triggersOf(inv, service)
	if len(ts) != 1 {
		t.Fatalf("%d %s triggers, want 1: %+v", len(ts), service, inv.Triggers)
	}
	return ts[0]
}

// Each push invoker gives the trigger of the shared contract: its service,
// the ARN the service sends as aws:SourceArn, the target split into
// function and qualifier, its events and its enabled state.
func TestPushInvokerTriggers(t *testing.T) {
	cases := []struct {
		name, src, service string
		want               inventory.Trigger
	}{
		{"config custom rule", `
resource "aws_config_config_rule" "r" {
  name = "r"
  source {
    owner             = "CUSTOM_LAMBDA"
    source_identifier = aws_lambda_function.h.arn
    source_detail { message_type = "ScheduledNotification" }
    source_detail { message_type = "ConfigurationItemChangeNotification" }
  }
}`, "config", inventory.Trigger{SourceARN: "arn:aws:config:us-east-1:123456789012:config-rule/config-rule-<aws_config_config_rule.r.rule_id>",
			SourceAddress: "aws_config_config_rule.r", Events: []string{"ConfigurationItemChangeNotification", "ScheduledNotification"}, Enabled: true}},
		{"connect association to an alias", `
resource "aws_connect_instance" "c" {
  identity_management_type = "CONNECT_MANAGED"
  inbound_calls_enabled    = true
  outbound_calls_enabled   = false
}
resource "aws_connect_lambda_function_association" "a" {
  instance_id  = aws_connect_instance.c.id
  function_arn = "${aws_lambda_function.h.arn}:live"
}`, "connect", inventory.Trigger{SourceARN: "arn:aws:connect:us-east-1:123456789012:instance/<aws_connect_instance.c.id>",
			SourceAddress: "aws_connect_instance.c", Qualifier: "live", Enabled: true}},
		{"bedrock action group, disabled", `
resource "aws_bedrockagent_agent" "a" {
  agent_name = "a"
}
resource "aws_bedrockagent_agent_action_group" "g" {
  action_group_name  = "lookup"
  agent_id           = aws_bedrockagent_agent.a.agent_id
  agent_version      = "DRAFT"
  action_group_state = "DISABLED"
  action_group_executor { lambda = aws_lambda_function.h.arn }
}`, "bedrock", inventory.Trigger{SourceARN: "arn:aws:bedrock:us-east-1:123456789012:agent/<aws_bedrockagent_agent.a.agent_id>",
			SourceAddress: "aws_bedrockagent_agent.a", Events: []string{"lookup"}}},
		{"codecommit trigger", `
resource "aws_codecommit_repository" "r" {
  repository_name = "app"
}
resource "aws_codecommit_trigger" "t" {
  repository_name = aws_codecommit_repository.r.repository_name
  trigger {
    name            = "all"
    events          = ["all"]
    destination_arn = aws_lambda_function.h.arn
  }
  trigger {
    name            = "to-sns"
    events          = ["all"]
    destination_arn = "arn:aws:sns:us-east-1:123456789012:t"
  }
}`, "codecommit", inventory.Trigger{SourceARN: "arn:aws:codecommit:us-east-1:123456789012:app", SourceAddress: "aws_codecommit_repository.r", Events: []string{"all"}, Enabled: true}},
		{"vpc lattice attachment", `
resource "aws_vpclattice_target_group" "g" {
  name = "g"
  type = "LAMBDA"
}
resource "aws_vpclattice_target_group_attachment" "a" {
  target_group_identifier = aws_vpclattice_target_group.g.id
  target { id = aws_lambda_function.h.arn }
}`, "vpc_lattice", inventory.Trigger{SourceARN: "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/<aws_vpclattice_target_group.g.id>",
			SourceAddress: "aws_vpclattice_target_group.g", Enabled: true}},
		{"pinpoint campaign hook by name", `
resource "aws_pinpoint_app" "p" {
  name = "p"
  campaign_hook {
    lambda_function_name = aws_lambda_function.h.function_name
    mode                 = "FILTER"
  }
}`, "pinpoint", inventory.Trigger{SourceARN: "arn:aws:mobiletargeting:us-east-1:123456789012:apps/<aws_pinpoint_app.p.application_id>",
			SourceAddress: "aws_pinpoint_app.p", Events: []string{"FILTER"}, Enabled: true}},
		{"alexa skill permission on an alias", `
resource "aws_lambda_permission" "s" {
  statement_id       = "s"
  action             = "lambda:InvokeFunction"
  function_name      = aws_lambda_function.h.function_name
  qualifier          = "live"
  principal          = "alexa-appkit.amazon.com"
  event_source_token = "amzn1.ask.skill.x"
}`, "alexa", inventory.Trigger{SourceAddress: "aws_lambda_permission.s", Qualifier: "live", Enabled: true,
			Filter: &inventory.Filter{Expression: "amzn1.ask.skill.x"}}},
		{"alexa smart home without token", `
resource "aws_lambda_permission" "s" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.h.arn
  principal     = "alexa-connectedhome.amazon.com"
}`, "alexa_smart_home", inventory.Trigger{SourceAddress: "aws_lambda_permission.s", Enabled: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := loadSource(t, map[string]string{"main.tf": fnDecl + tc.src})
			got := oneTrigger(t, inv, tc.service)
			if got.Kind != "push" || got.FunctionARN != fnARN || got.FunctionAddress != "aws_lambda_function.h" {
				t.Errorf("kind %q function %q (%q)", got.Kind, got.FunctionARN, got.FunctionAddress)
			}
			if got.SourceARN != tc.want.SourceARN || got.SourceAddress != tc.want.SourceAddress || got.Qualifier != tc.want.Qualifier || got.Enabled != tc.want.Enabled {
				t.Errorf("source %q (%q) qualifier %q enabled %v, want %q (%q) %q %v", got.SourceARN, got.SourceAddress, got.Qualifier, got.Enabled,
					tc.want.SourceARN, tc.want.SourceAddress, tc.want.Qualifier, tc.want.Enabled)
			}
			if !reflect.DeepEqual(got.Events, tc.want.Events) || !reflect.DeepEqual(got.Filter, tc.want.Filter) {
				t.Errorf("events %v filter %+v, want %v %+v", got.Events, got.Filter, tc.want.Events, tc.want.Filter)
			}
			if tc.service == "alexa" || tc.service == "alexa_smart_home" {
				// The permission itself is still the function's.
				if f := findFunction(inv, "aws_lambda_function.h"); f == nil || len(f.Permissions) != 1 {
					t.Errorf("the permission is not attached to the function")
				}
			}
		})
	}
}

// A receipt rule sends mail to its Lambda actions only when it is enabled
// (the provider's default is false) and its rule set is the active one.
func TestSESReceiptRuleEnabled(t *testing.T) {
	rule := func(enabled string) string {
		return `
resource "aws_ses_receipt_rule_set" "s" {
  rule_set_name = "in"
}
resource "aws_ses_receipt_rule" "r" {
  name          = "r"
  rule_set_name = aws_ses_receipt_rule_set.s.rule_set_name
  ` + enabled + `
  lambda_action {
    function_arn    = aws_lambda_function.h.arn
    invocation_type = "RequestResponse"
    position        = 1
  }
}`
	}
	active := func(set string) string {
		return "\nresource \"aws_ses_active_receipt_rule_set\" \"a\" {\n  rule_set_name = \"" + set + "\"\n}\n"
	}
	type sesCase struct {
		name, src     string
		enabled       bool
		unknownActive bool
	}
	cases := []sesCase{
		{"enabled and active", rule("enabled = true") + active("in"), true, false},
		{"provider default is disabled", rule("") + active("in"), false, false},
		{"another set is active", rule("enabled = true") + active("other"), false, false},
		{"active set not declared", rule("enabled = true"), true, true},
	}
	// Names unknown before apply: the same symbol is the same set.
	symbolic := strings.ReplaceAll(rule("enabled = true"), `"in"`, `"${var.app}-in"`) + "\nvariable \"app\" { type = string }\nvariable \"other\" { type = string }\n"
	cases = append(cases,
		sesCase{"same symbolic set", symbolic + "resource \"aws_ses_active_receipt_rule_set\" \"a\" {\n  rule_set_name = aws_ses_receipt_rule_set.s.rule_set_name\n}\n", true, false},
		sesCase{"other symbolic set", symbolic + "resource \"aws_ses_active_receipt_rule_set\" \"a\" {\n  rule_set_name = var.other\n}\n", true, true},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := loadSource(t, map[string]string{"main.tf": fnDecl + tc.src})
			got := oneTrigger(t, inv, "ses")
			if !strings.HasSuffix(got.SourceARN, "in:receipt-rule/r") || got.FunctionARN != fnARN {
				t.Errorf("source %q function %q", got.SourceARN, got.FunctionARN)
			}
			if !reflect.DeepEqual(got.Events, []string{"RequestResponse"}) {
				t.Errorf("events %v", got.Events)
			}
			if got.Enabled != tc.enabled {
				t.Errorf("enabled %v, want %v", got.Enabled, tc.enabled)
			}
			if u := hasUnknownField(got.Unknown, "enabled"); u != tc.unknownActive {
				t.Errorf("enabled unknown %v, want %v: %+v", u, tc.unknownActive, got.Unknown)
			}
		})
	}
}

// Lex V1: one trigger per code hook, with the intent version Lex invokes
// for as source.
func TestLexIntentHooks(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": fnDecl + `
resource "aws_lex_intent" "i" {
  name = "Order"
  dialog_code_hook {
    message_version = "1.0"
    uri             = aws_lambda_function.h.arn
  }
  fulfillment_activity {
    type = "CodeHook"
    code_hook {
      message_version = "1.0"
      uri             = aws_lambda_function.h.arn
    }
  }
}`})
	ts := triggersOf(inv, "lex")
	if len(ts) != 2 {
		t.Fatalf("%d lex triggers, want 2", len(ts))
	}
	for i, ev := range []string{"dialog_code_hook", "fulfillment"} {
		if ts[i].SourceARN != "arn:aws:lex:us-east-1:123456789012:intent:Order:$LATEST" || ts[i].Events[0] != ev || ts[i].FunctionARN != fnARN {
			t.Errorf("trigger %d: %+v", i, ts[i])
		}
	}
}

// Not modelled: a resource of an invoking type that names a function gives
// an unknown trigger and a warning naming the type; one that names none
// gives nothing; an unresolved function attribute still gives a trigger.
func TestUnmodelledInvokers(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": fnDecl + `
resource "aws_iot_authorizer" "a" {
  name                    = "a"
  authorizer_function_arn = aws_lambda_function.h.arn
}
resource "aws_cloudwatch_composite_alarm" "sns_only" {
  alarm_name    = "x"
  alarm_rule    = "ALARM(y)"
  alarm_actions = ["arn:aws:sns:us-east-1:123456789012:t"]
}
resource "aws_transfer_server" "s" {
  identity_provider_type = "AWS_LAMBDA"
  function               = var.fn
}
variable "fn" { type = string }
`})
	ts := triggersOf(inv, "unmodelled")
	if len(ts) != 2 {
		t.Fatalf("%d unmodelled triggers, want 2: %+v", len(ts), ts)
	}
	if ts[0].Address != "aws_iot_authorizer.a" || ts[0].FunctionARN != fnARN || !hasUnknownField(ts[0].Unknown, "kind") {
		t.Errorf("authorizer: %+v", ts[0])
	}
	if ts[1].Address != "aws_transfer_server.s" || ts[1].FunctionARN != "" || !hasUnknownField(ts[1].Unknown, "target") {
		t.Errorf("transfer server: %+v", ts[1])
	}
	var warned []string
	for _, d := range inv.Diags {
		if d.Severity == "warning" && strings.HasPrefix(d.Summary, "Lambda invoker not modelled: ") {
			warned = append(warned, strings.TrimPrefix(d.Summary, "Lambda invoker not modelled: "))
		}
	}
	if !reflect.DeepEqual(warned, []string{"aws_iot_authorizer", "aws_transfer_server"}) {
		t.Errorf("warnings for %v", warned)
	}
	skipped := map[string]int{}
	for _, s := range inv.Skipped {
		skipped[s.Type] = s.Count
	}
	if skipped["aws_cloudwatch_composite_alarm"] != 1 || skipped["aws_iot_authorizer"] != 1 {
		t.Errorf("skipped %v", skipped)
	}
}

// The per-kind fixtures load without errors and give their trigger.
func TestTriggerFixturesLoad(t *testing.T) {
	dirs, _ := filepath.Glob("../../fixtures/triggers/*")
	if len(dirs) == 0 {
		t.Fatal("no trigger fixtures")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			inv, err := Load(context.Background(), dir, Options{Account: "123456789012", Region: "eu-west-1", Catalog: fakeCatalog{}})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range inv.Diags {
				if d.Severity == "error" {
					t.Errorf("%s:%d: %s", d.File, d.Line, d.Summary)
				}
			}
			if len(inv.Triggers) == 0 && !strings.HasPrefix(filepath.Base(dir), "alexa-broken") {
				t.Error("no triggers")
			}
		})
	}
}

// Secrets Manager invokes a rotation function with the secret's ARN: a
// rotation that names its secret by name gets the ARN of the secret of
// that name, or an unknown source when the secret is defined elsewhere.
func TestRotationSecretByName(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": fnDecl + `
resource "aws_secretsmanager_secret" "db" {
  name = "db"
}
resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.name
  rotation_lambda_arn = aws_lambda_function.h.arn
}
resource "aws_secretsmanager_secret_rotation" "other" {
  secret_id           = "shared-db"
  rotation_lambda_arn = aws_lambda_function.h.arn
}`})
	ts := triggersOf(inv, "secretsmanager")
	if len(ts) != 2 {
		t.Fatalf("%d rotation triggers", len(ts))
	}
	if ts[0].SourceARN != "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-<aws_secretsmanager_secret.db.suffix>" || ts[0].SourceAddress != "aws_secretsmanager_secret.db" {
		t.Errorf("named secret: %q (%q)", ts[0].SourceARN, ts[0].SourceAddress)
	}
	if ts[1].SourceARN != "" || !hasUnknownField(ts[1].Unknown, "source_arn") {
		t.Errorf("outside secret: %q %+v", ts[1].SourceARN, ts[1].Unknown)
	}
}

// A Lex V2 intent with an enabled code hook calls the function of its bot
// alias, which the provider cannot configure: an unknown trigger with no
// function. Without a code hook it invokes nothing.
func TestLexV2CodeHook(t *testing.T) {
	intent := func(name, hook string) string {
		return `
resource "aws_lexv2models_intent" "` + name + `" {
  bot_id      = "BOT"
  bot_version = "DRAFT"
  locale_id   = "en_US"
  name        = "` + name + `"
  ` + hook + `
}`
	}
	inv := loadSource(t, map[string]string{"main.tf": intent("hooked", "fulfillment_code_hook {\n    enabled = true\n  }") + intent("plain", "")})
	ts := triggersOf(inv, "unmodelled")
	if len(ts) != 1 || ts[0].Address != "aws_lexv2models_intent.hooked" || ts[0].FunctionARN != "" || !hasUnknownField(ts[0].Unknown, "target") {
		t.Fatalf("triggers %+v", ts)
	}
}
