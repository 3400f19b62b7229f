package eventtrace

import (
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/eventmatch"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

const (
	tgA      = "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/a/<aws_lb_target_group.a.tg_id>"
	tgB      = "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/b/<aws_lb_target_group.b.tg_id>"
	listener = "arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/front/<id>/<lid>"
)

func albInventory(rules ...inventory.Resource) *inventory.Inventory {
	inv := &inventory.Inventory{}
	for _, tg := range []struct{ name, arn string }{{"a", tgA}, {"b", tgB}} {
		inv.Resources = append(inv.Resources, inventory.Resource{Origin: inventory.Origin{Address: "aws_lb_target_group." + tg.name}, Type: "aws_lb_target_group", ARN: tg.arn})
		inv.Triggers = append(inv.Triggers, inventory.Trigger{Origin: inventory.Origin{Address: "aws_lb_target_group_attachment." + tg.name}, Service: "alb", Kind: "push",
			SourceARN: tg.arn, FunctionARN: "arn:aws:lambda:eu-west-1:1:function:" + tg.name, Enabled: true})
	}
	if len(rules) > 0 {
		inv.Resources = append(inv.Resources, inventory.Resource{Origin: inventory.Origin{Address: "aws_lb_listener.l"}, Type: "aws_lb_listener", ARN: listener,
			Attributes: map[string]string{"default_actions": `[{"type":"forward","target_groups":[{"arn":"` + tgB + `"}]}]`}})
		inv.Resources = append(inv.Resources, rules...)
	}
	return inv
}

func albRule(name, priority, conds, tg string, unknown ...inventory.Unknown) inventory.Resource {
	attrs := map[string]string{"listener_arn": listener, "conditions": conds, "actions": `[{"type":"forward","target_groups":[{"arn":"` + tg + `"}]}]`}
	if priority != "" {
		attrs["priority"] = priority
	}
	return inventory.Resource{Origin: inventory.Origin{Address: "aws_lb_listener_rule." + name}, Type: "aws_lb_listener_rule", Attributes: attrs, Unknown: unknown}
}

func albEvent(t *testing.T, path, tg string) Event {
	t.Helper()
	ev, err := Parse("e", []byte(`{"httpMethod":"GET","path":"`+path+`","multiValueHeaders":{"Host":["www.example.com"],"X-Forwarded-For":["10.0.0.1, 198.51.100.7"]},`+
		`"requestContext":{"elb":{"targetGroupArn":"`+tg+`"}}}`), "")
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func albResults(tr *Trace) map[string]eventmatch.Result {
	out := map[string]eventmatch.Result{}
	for _, tt := range tr.Triggers {
		out[tt.Trigger] = tt.Match
	}
	return out
}

func TestALBRequestIsRoutedByTheListenerRules(t *testing.T) {
	ev := albEvent(t, "/api/x", "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/a/0123456789abcdef")
	if ev.ALB.Host != "www.example.com" || ev.ALB.SourceIP != "198.51.100.7" {
		t.Fatalf("%+v", ev.ALB)
	}
	// Without listeners, the target group the event names decides.
	v := albResults(Run(albInventory(), &flow.Result{}, ev, Options{}))
	if v["aws_lb_target_group_attachment.a"].Verdict != eventmatch.Unknown || v["aws_lb_target_group_attachment.b"].Verdict != eventmatch.NoMatch {
		t.Fatalf("%+v", v)
	}
	// A rule without a priority comes after every rule with one; the
	// first that matches wins.
	inv := albInventory(
		albRule("late", "", `[{"field":"path-pattern","values":["/api/*"]}]`, tgB),
		albRule("api", "10", `[{"field":"path-pattern","values":["/api/*"]},{"field":"source-ip","values":["198.51.100.0/24"]}]`, tgA),
	)
	v = albResults(RunBatch(inv, &flow.Result{}, Batch{Events: []Event{ev}, Total: 1}, Options{}))
	if a := v["aws_lb_target_group_attachment.a"]; a.Verdict != eventmatch.Match || !strings.Contains(a.Reason, "rule aws_lb_listener_rule.api (priority 10) forwards to aws_lb_target_group.a") {
		t.Fatalf("%+v", a)
	}
	if b := v["aws_lb_target_group_attachment.b"]; b.Verdict != eventmatch.NoMatch || b.Field != "listener-rule" {
		t.Fatalf("%+v", b)
	}
	// No rule matches: the default action.
	v = albResults(RunBatch(inv, &flow.Result{}, Batch{Events: []Event{albEvent(t, "/home", "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/b/0123456789abcdef")}, Total: 1}, Options{}))
	if b := v["aws_lb_target_group_attachment.b"]; b.Verdict != eventmatch.Match || !strings.Contains(b.Reason, "the default action forwards to aws_lb_target_group.b") {
		t.Fatalf("%+v", b)
	}
	// A rule whose conditions are not resolved may take the request first.
	inv = albInventory(
		albRule("unresolved", "1", `[]`, tgB, inventory.Unknown{Field: "condition[0].path_pattern[0].values", Reason: "var.paths"}),
		albRule("api", "10", `[{"field":"path-pattern","values":["/api/*"]}]`, tgA),
	)
	v = albResults(RunBatch(inv, &flow.Result{}, Batch{Events: []Event{ev}, Total: 1}, Options{}))
	if a, b := v["aws_lb_target_group_attachment.a"], v["aws_lb_target_group_attachment.b"]; a.Verdict != eventmatch.Unknown || b.Verdict != eventmatch.Unknown ||
		!strings.Contains(a.Reason, "unless aws_lb_listener_rule.unresolved (priority 1)") {
		t.Fatalf("%+v %+v", a, b)
	}
	// A rule whose listener is not resolved may belong to this one.
	orphan := albRule("orphan", "2", `[{"field":"path-pattern","values":["/api/*"]}]`, tgB, inventory.Unknown{Field: "listener_arn", Reason: "var.listener"})
	delete(orphan.Attributes, "listener_arn")
	v = albResults(Run(albInventory(orphan, albRule("api", "10", `[{"field":"path-pattern","values":["/api/*"]}]`, tgA)), &flow.Result{}, ev, Options{}))
	if a := v["aws_lb_target_group_attachment.a"]; a.Verdict != eventmatch.Unknown || !strings.Contains(a.Reason, "unless aws_lb_listener_rule.orphan (priority 2)") {
		t.Fatalf("%+v", a)
	}
	// So is a rule whose listener or values are symbols.
	symListener := albRule("sym", "2", `[{"field":"path-pattern","values":["/api/*"]}]`, tgB)
	symListener.Attributes["listener_arn"] = "<var.listener>"
	symValues := albRule("symvalues", "3", `[{"field":"path-pattern","values":["<var.paths>"]}]`, tgB)
	for _, rule := range []inventory.Resource{symListener, symValues} {
		v = albResults(Run(albInventory(rule, albRule("api", "10", `[{"field":"path-pattern","values":["/api/*"]}]`, tgA)), &flow.Result{}, ev, Options{}))
		if a := v["aws_lb_target_group_attachment.a"]; a.Verdict != eventmatch.Unknown || !strings.Contains(a.Reason, "unless "+rule.Address) {
			t.Fatalf("%s: %+v", rule.Address, a)
		}
	}
	// An event naming a target group no listener routes to came in elsewhere.
	v = albResults(RunBatch(inv, &flow.Result{}, Batch{Events: []Event{albEvent(t, "/api/x", "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/c/0123456789abcdef")}, Total: 1}, Options{}))
	for name, r := range v {
		if r.Verdict != eventmatch.Unknown && r.Verdict != eventmatch.NoMatch {
			t.Errorf("%s: %+v", name, r)
		}
	}
}
