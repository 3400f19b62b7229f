package terraform

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/statemachine"
)

// eventRule is what a target needs to know about its rule.
type eventRule struct {
	pattern  json.RawMessage
	schedule string
	enabled  bool
}

func decodeEventRule(b *builder, i *instance) {
	r, o := newResource(i, "events")
	r.Name = o.str("name")
	bus := o.str("event_bus_name")
	if bus == "" {
		bus = "default"
	}
	setAttr(r, "event_bus_name", bus)
	sched := o.str("schedule_expression")
	setAttr(r, "schedule_expression", sched)
	enabled := ruleEnabled(o)
	if !enabled {
		setAttr(r, "state", "DISABLED")
	}
	var pattern json.RawMessage
	if o.has("event_pattern") {
		if doc, ok := o.document("event_pattern", "attributes.event_pattern"); ok {
			pattern = doc
		}
	}
	b.addResource(r)
	if b.k.rules == nil {
		b.k.rules = map[string]eventRule{}
	}
	if r.ARN != "" {
		b.k.rules[r.ARN] = eventRule{pattern: pattern, schedule: sched, enabled: enabled}
	}
}

// ruleEnabled reads state (provider 5.x) or the older is_enabled.
func ruleEnabled(o obj) bool {
	if s := o.str("state"); s != "" {
		return s != "DISABLED"
	}
	return o.boolean("is_enabled", true)
}

func decodeEventTarget(b *builder, i *instance) {
	t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "eventbridge", Enabled: true}
	o := i.obj(&t.Unknown)
	rule := o.str("rule")
	bus := o.str("event_bus_name")
	if j := strings.LastIndex(bus, "event-bus/"); j >= 0 {
		bus = bus[j+len("event-bus/"):]
	}
	p := i.Provider
	if rule != "" {
		res := "rule/" + rule
		if bus != "" && bus != "default" {
			res = "rule/" + bus + "/" + rule
		}
		t.SourceARN = "arn:" + p.Partition + ":events:" + p.Region + ":" + p.Account + ":" + res
	}
	t.Target = o.strAs("arn", "target")
	t.InvokeRole = o.str("role_arn")
	if dl, ok := o.block("dead_letter_config"); ok {
		t.OnFailure = dl.str("arn")
	}
	setFunctionTarget(i, &t)
	b.pendingFn = append(b.pendingFn, func() {
		if r, ok := b.k.rules[t.SourceARN]; ok {
			t.Enabled = r.enabled
			switch {
			case r.schedule != "":
				t.Service = "schedule"
				t.Filter = &inventory.Filter{Expression: r.schedule}
			case r.pattern != nil:
				t.Filter = &inventory.Filter{Pattern: r.pattern}
			}
			if res, ok := b.resources[t.SourceARN]; ok {
				t.SourceAddress = res.Address
			}
		}
		b.inv.Triggers = append(b.inv.Triggers, t)
	})
}

func decodeSchedule(b *builder, i *instance) {
	r, o := newResource(i, "scheduler")
	r.Name = o.str("name")
	sched := o.str("schedule_expression")
	setAttr(r, "schedule_expression", sched)
	setAttr(r, "group_name", o.str("group_name"))
	enabled := o.str("state") != "DISABLED"
	b.addResource(r)
	for _, tg := range o.blocks("target") {
		t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "scheduler", SourceARN: r.ARN, SourceAddress: i.Addr, Enabled: enabled}
		tg.unknown, tg.prefix = &t.Unknown, ""
		t.Target = tg.strAs("arn", "target")
		t.InvokeRole = tg.strAs("role_arn", "invoke_role")
		if dl, ok := tg.block("dead_letter_config"); ok {
			t.OnFailure = dl.str("arn")
		}
		t.Filter = &inventory.Filter{Expression: sched}
		setFunctionTarget(i, &t)
		b.inv.Triggers = append(b.inv.Triggers, t)
	}
}

func decodeLogSubscription(b *builder, i *instance) {
	t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "logs", Enabled: true}
	o := i.obj(&t.Unknown)
	group := o.str("log_group_name")
	p := i.Provider
	if group != "" {
		// Logs invokes with the log group ARN ending in ":*" as source.
		t.SourceARN = "arn:" + p.Partition + ":logs:" + p.Region + ":" + p.Account + ":log-group:" + group + ":*"
	}
	t.Target = o.strAs("destination_arn", "target")
	t.InvokeRole = o.str("role_arn")
	t.Filter = &inventory.Filter{Expression: o.str("filter_pattern")}
	setFunctionTarget(i, &t)
	b.inv.Triggers = append(b.inv.Triggers, t)
}

func decodeIoTRule(b *builder, i *instance) {
	r, o := newResource(i, "iot")
	r.Name = o.str("name")
	sql := o.str("sql")
	enabled := o.boolean("enabled", true)
	b.addResource(r)
	add := func(l obj, event string) {
		t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "iot", SourceARN: r.ARN, SourceAddress: i.Addr, Enabled: enabled}
		l.unknown, l.prefix = &t.Unknown, ""
		t.Target = l.strAs("function_arn", "target")
		t.Filter = &inventory.Filter{Expression: sql}
		if event != "" {
			t.Events = []string{event}
		}
		setFunctionTarget(i, &t)
		b.inv.Triggers = append(b.inv.Triggers, t)
	}
	for _, l := range o.blocks("lambda") {
		add(l, "")
	}
	for _, ea := range o.blocks("error_action") {
		for _, l := range ea.blocks("lambda") {
			add(l, "error_action")
		}
	}
}

// cognitoTriggers are the lambda_config arguments that hold a function ARN.
var cognitoTriggers = []string{"create_auth_challenge", "custom_message", "define_auth_challenge", "post_authentication",
	"post_confirmation", "pre_authentication", "pre_sign_up", "pre_token_generation", "user_migration", "verify_auth_challenge_response"}

func decodeUserPool(b *builder, i *instance) {
	r, o := newResource(i, "cognito-idp")
	r.Name = o.str("name")
	b.addResource(r)
	lc, ok := o.block("lambda_config")
	if !ok {
		return
	}
	seen := map[string]bool{}
	add := func(event, fn string, unknown []inventory.Unknown) {
		if fn == "" && len(unknown) == 0 {
			return
		}
		t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "cognito", SourceARN: r.ARN, SourceAddress: i.Addr,
			Target: fn, Enabled: true, Events: []string{event}, Unknown: unknown}
		setFunctionTarget(i, &t)
		b.inv.Triggers = append(b.inv.Triggers, t)
	}
	for _, ev := range cognitoTriggers {
		var u []inventory.Unknown
		lc.unknown, lc.prefix = &u, ""
		fn := lc.strAs(ev, "target")
		if ev == "pre_token_generation" && fn != "" {
			seen[fn] = true
		}
		add(ev, fn, u)
	}
	for _, ev := range []string{"custom_email_sender", "custom_sms_sender", "pre_token_generation_config"} {
		for _, blk := range lc.blocks(ev) {
			var u []inventory.Unknown
			blk.unknown, blk.prefix = &u, ""
			fn := blk.strAs("lambda_arn", "target")
			if ev == "pre_token_generation_config" && seen[fn] {
				continue // the same function configured both ways
			}
			add(ev, fn, u)
		}
	}
}

func decodeStateMachine(b *builder, i *instance) {
	r, o := newResource(i, "states")
	r.Name = o.str("name")
	role := o.str("role_arn")
	setAttr(r, "type", o.str("type"))
	setAttr(r, "role_arn", role)
	b.addResource(r)
	doc, ok := o.document("definition", "attributes.definition")
	if !ok || doc == nil {
		return
	}
	var def any
	if json.Unmarshal(doc, &def) != nil {
		return
	}
	for _, fn := range statemachine.LambdaTasks(def) {
		t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "sfn", SourceARN: r.ARN, SourceAddress: i.Addr,
			Target: fn, InvokeRole: role, Enabled: true}
		if strings.HasPrefix(fn, "$") {
			t.Target = ""
			t.Unknown = append(t.Unknown, inventory.Unknown{Field: "target", Reason: "the function is chosen at run time by the path " + fn, Span: loc.At(i.origin.File, i.origin.Line)})
		}
		setFunctionTarget(i, &t)
		b.inv.Triggers = append(b.inv.Triggers, t)
	}
}

func decodeAlarm(b *builder, i *instance) {
	r, o := newResource(i, "cloudwatch")
	r.Name = o.str("alarm_name")
	enabled := o.boolean("actions_enabled", true)
	b.addResource(r)
	for _, kind := range []struct{ attr, state string }{{"alarm_actions", "ALARM"}, {"ok_actions", "OK"}, {"insufficient_data_actions", "INSUFFICIENT_DATA"}} {
		for _, action := range o.strs(kind.attr) {
			t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "alarm", SourceARN: r.ARN, SourceAddress: i.Addr,
				Target: action, Enabled: enabled, Events: []string{kind.state}}
			if strings.Contains(action, ":lambda:") {
				setFunctionTarget(i, &t)
			}
			b.inv.Triggers = append(b.inv.Triggers, t)
		}
	}
}

func decodeTargetGroupAttachment(b *builder, i *instance) {
	t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "alb", Enabled: true}
	o := i.obj(&t.Unknown)
	t.SourceARN = o.strAs("target_group_arn", "source_arn")
	t.Target = o.strAs("target_id", "target")
	if !strings.Contains(t.Target, ":lambda:") {
		return // instance or IP targets are not Lambda triggers
	}
	setFunctionTarget(i, &t)
	b.pendingFn = append(b.pendingFn, func() {
		if r, ok := b.resources[t.SourceARN]; ok {
			t.SourceAddress = r.Address
		}
		b.inv.Triggers = append(b.inv.Triggers, t)
	})
}

func decodeOrgPolicy(b *builder, i *instance) {
	p := &inventory.OrgPolicy{}
	p.Origin = i.origin
	o := i.obj(&p.Unknown)
	p.Type = o.str("type")
	if p.Type == "" {
		p.Type = "SERVICE_CONTROL_POLICY"
	}
	if p.Type != "SERVICE_CONTROL_POLICY" && p.Type != "RESOURCE_CONTROL_POLICY" {
		b.skip(i)
		return
	}
	p.Name = o.str("name")
	p.ID = o.str("id")
	if doc, ok := o.document("content", "document"); ok {
		p.Document = doc
	}
	b.scps[p.ID+"|"+i.Addr] = p
}

func decodeOrgPolicyAttachment(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	id, target := o.str("policy_id"), o.str("target_id")
	b.pendingFn = append(b.pendingFn, func() {
		for _, p := range b.scps {
			if p.ID != "" && p.ID == id {
				p.Targets = append(p.Targets, target)
				sort.Strings(p.Targets)
				return
			}
		}
		b.unresolved(i.origin, "organizations policy attachment: policy "+id+" is not an SCP or RCP of this configuration"+reasons(unknown))
	})
}
