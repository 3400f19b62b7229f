package awsapi

import (
	"context"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// A denied call of each service that invokes functions is a warning
// naming the action, and the triggers it hides show as an unknown
// invocation flow naming the action — never as silent absence.
func TestDeniedInvokerServicesLeaveUnknownFlows(t *testing.T) {
	cases := []struct {
		action, flow string
	}{
		{"logs:DescribeLogGroups", "CloudWatch Logs groups and their subscription filters in region eu-west-1 not read: logs:DescribeLogGroups denied"},
		{"logs:DescribeSubscriptionFilters", "subscription filters of log group arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/acme-hub-ingest not read"},
		{"iot:ListTopicRules", "IoT topic rules in region eu-west-1 not read: iot:ListTopicRules denied"},
		{"iot:GetTopicRule", "actions of IoT rule arn:aws:iot:eu-west-1:123456789012:rule/acme_hub_telemetry not read: iot:GetTopicRule denied"},
		{"cognito-idp:ListUserPools", "Cognito user pools and their triggers in region eu-west-1 not read: cognito-idp:ListUserPools denied"},
		{"cognito-idp:DescribeUserPool", "Lambda triggers of user pool arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Hub7x9Q2a not read"},
		{"elasticloadbalancing:DescribeTargetGroups", "load balancer target groups in region eu-west-1 not read: elasticloadbalancing:DescribeTargetGroups denied"},
		{"elasticloadbalancing:DescribeTargetHealth", "targets of target group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/acme-hub-ingest/1a2b3c4d5e6f7a8b not read"},
		{"states:ListStateMachines", "Step Functions state machines in region eu-west-1 not read: states:ListStateMachines denied"},
		{"states:DescribeStateMachine", "tasks of state machine arn:aws:states:eu-west-1:123456789012:stateMachine:acme-hub-onboarding not read"},
		{"secretsmanager:ListSecrets", "Secrets Manager secrets and their rotation functions in region eu-west-1 not read: secretsmanager:ListSecrets denied"},
		{"rds:DescribeDBClusters", "Aurora clusters and their Lambda roles in region eu-west-1 not read: rds:DescribeDBClusters denied"},
	}
	for _, c := range cases {
		t.Run(c.action, func(t *testing.T) {
			granted := map[string]bool{}
			for _, a := range requiredActions() {
				granted[a] = a != c.action
			}
			f := newFake(t, "testdata/device-hub")
			f.Enforce(allowOnly(granted))
			inv, err := Collect(context.Background(), f.config("eu-west-1"), Options{Catalog: awsref.Default()})
			if err != nil {
				t.Fatal(err)
			}
			if !deniedIn(inv, c.action) {
				t.Errorf("no denied warning names %s: %+v", c.action, inv.Warnings)
			}
			if flows := unknownInvokeFlows(t, inv); !anyContains(flows, c.flow) {
				t.Errorf("no unknown flow says %q; unknown flows:\n%s", c.flow, strings.Join(flows, "\n"))
			}
		})
	}
}

// Each trigger read from the live account carries the same contract
// fields as the one the Terraform loader reads from the configuration
// that deployed it: kind, events, filter expression, invoke role, enabled.
func TestLiveTriggersMatchTerraformTriggers(t *testing.T) {
	tf, err := terraform.Load(context.Background(), "../../fixtures/device-hub", terraform.Options{Account: "123456789012", Region: "eu-west-1", Catalog: awsref.Default()})
	if err != nil {
		t.Fatal(err)
	}
	tf = withPlaceholders(t, tf, map[string]string{"<aws_cognito_user_pool.users.id>": "eu-west-1_Hub7x9Q2a",
		"<aws_lb_target_group.ingest.tg_id>": "1a2b3c4d5e6f7a8b", "<aws_secretsmanager_secret.db.suffix>": "Xy12Ab"})
	live, _ := collectFake(t, "testdata/device-hub", Options{})
	key := func(tr inventory.Trigger) string {
		return tr.Service + " " + tr.SourceARN + " -> " + tr.FunctionARN + ":" + tr.Qualifier + " " + strings.Join(tr.Events, ",")
	}
	contract := func(tr inventory.Trigger) string {
		expr := ""
		if tr.Filter != nil {
			expr = tr.Filter.Expression
		}
		return strings.Join([]string{tr.Kind, tr.Target, tr.InvokeRole, expr, map[bool]string{true: "enabled", false: "disabled"}[tr.Enabled]}, " | ")
	}
	want := map[string]string{}
	for _, tr := range tf.Triggers {
		want[key(tr)] = contract(tr)
	}
	got := map[string]string{}
	for _, tr := range live.Triggers {
		got[key(tr)] = contract(tr)
	}
	if len(want) != 8 {
		t.Fatalf("terraform gave %d triggers, want 8: %v", len(want), want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s:\n  terraform %q\n  live      %q", k, v, got[k])
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("only live: %s", k)
		}
	}
	types := map[string]bool{}
	for _, r := range live.Resources {
		types[r.Type] = true
	}
	for _, typ := range []string{"AWS::Logs::LogGroup", "AWS::IoT::TopicRule", "AWS::Cognito::UserPool", "AWS::ElasticLoadBalancingV2::TargetGroup",
		"AWS::StepFunctions::StateMachine", "AWS::SecretsManager::Secret"} {
		if !types[typ] {
			t.Errorf("no resource of type %s", typ)
		}
	}
}

// An Aurora cluster's role for the Lambda feature is a push trigger with
// that role as invoker and the function unknown (chosen in SQL); other
// features' roles are not triggers, and a malformed role ARN is a warning.
func TestAuroraLambdaRole(t *testing.T) {
	inv, _ := collectFake(t, "testdata/device-hub", Options{},
		"rds eu-west-1 DescribeDBClusters 200 rds/DescribeDBClusters.aurora.xml")
	var rds []inventory.Trigger
	for _, tr := range inv.Triggers {
		if tr.Service == "rds" {
			rds = append(rds, tr)
		}
	}
	if len(rds) != 1 {
		t.Fatalf("rds triggers = %+v, want the one Lambda role", rds)
	}
	tr := rds[0]
	if tr.Kind != "push" || tr.SourceARN != "arn:aws:rds:eu-west-1:123456789012:cluster:acme-hub-db" || tr.InvokeRole != "arn:aws:iam::123456789012:role/acme-hub-onboarding" ||
		!tr.Enabled || tr.FunctionARN != "" || !hasUnknownField(tr.Unknown, "target") {
		t.Fatalf("rds trigger = %+v", tr)
	}
	var invalid bool
	for _, w := range inv.Warnings {
		invalid = invalid || w.Kind == inventory.WarningInvalid && w.Operation == "DescribeDBClusters" && strings.Contains(w.Message, "not-an-arn")
	}
	if !invalid {
		t.Errorf("no warning for the malformed role ARN: %+v", inv.Warnings)
	}
}

// A denied ListFunctionEventInvokeConfigs leaves the function's async
// destinations unknown, and simulate shows an unknown destination flow.
func TestDeniedInvokeConfigsLeaveUnknownDestinations(t *testing.T) {
	inv, _ := collectFake(t, "testdata/thumbnails", Options{},
		"lambda * ListFunctionEventInvokeConfigs 403:AccessDeniedException ../denied/errors/lambda-AccessDenied.json")
	var found bool
	for _, f := range simulate(t, inv).Flows {
		if f.Kind == flow.KindAccess && f.Purpose == "destination" && f.Decision == flow.Unknown &&
			f.Function.ARN == "arn:aws:lambda:eu-west-1:123456789012:function:acme-photos-thumbnail" &&
			strings.Contains(f.Steps[0].Reason, "lambda:ListFunctionEventInvokeConfigs denied") {
			found = true
		}
	}
	if !found {
		t.Fatal("no unknown destination flow for the thumbnail function")
	}
}
