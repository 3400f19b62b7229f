package eventtrace

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/eventmatch"
)

// albListener is a listener of the inventory with its rules, ready to
// route requests.
type albListener struct {
	address  string
	arn      string
	rules    []eventmatch.ALBRule
	defaults []eventmatch.ALBAction
}

// maxRulePriority is the highest priority a listener rule may have; a
// rule whose priority the configuration leaves to AWS comes after every
// rule that has one.
const maxRulePriority = 50000

// albListeners reads (once) the listeners and listener rules of the
// inventory (see docs/snapshot.md for their attributes).
func (t *tracer) albListeners() []albListener {
	if t.listeners != nil {
		return *t.listeners
	}
	var out []albListener
	byARN := map[string]int{}
	for _, r := range t.inv.Resources {
		if r.Type != "aws_lb_listener" && r.Type != "aws_alb_listener" {
			continue
		}
		l := albListener{address: r.Address, arn: r.ARN}
		_ = json.Unmarshal([]byte(r.Attributes["default_actions"]), &l.defaults)
		byARN[r.ARN] = len(out)
		out = append(out, l)
	}
	unprioritised := 0
	for _, r := range t.inv.Resources {
		if r.Type != "aws_lb_listener_rule" && r.Type != "aws_alb_listener_rule" {
			continue
		}
		targets := []int{}
		if k, ok := byARN[r.Attributes["listener_arn"]]; ok {
			targets = append(targets, k)
		}
		// A rule whose listener the configuration does not resolve may
		// belong to any listener: it is tried on each, undecided.
		unresolvedListener := len(targets) == 0 && (placeholder(r.Attributes["listener_arn"]) ||
			r.Attributes["listener_arn"] == "" && hasUnknown(r.Unknown, "listener_arn"))
		if unresolvedListener {
			for k := range out {
				targets = append(targets, k)
			}
		}
		if len(targets) == 0 {
			continue
		}
		rule := eventmatch.ALBRule{Name: r.Address}
		if p, err := strconv.Atoi(r.Attributes["priority"]); err == nil {
			rule.Priority = p
		} else {
			unprioritised++
			rule.Priority = maxRulePriority + unprioritised
		}
		_ = json.Unmarshal([]byte(r.Attributes["conditions"]), &rule.Conditions)
		_ = json.Unmarshal([]byte(r.Attributes["actions"]), &rule.Actions)
		for k, c := range rule.Conditions {
			if symbolic(c) {
				rule.Conditions[k] = eventmatch.ALBCondition{Field: "unresolved"}
			}
		}
		if hasUnknown(r.Unknown, "condition") || unresolvedListener {
			rule.Conditions = append(rule.Conditions, eventmatch.ALBCondition{Field: "unresolved"})
		}
		for _, k := range targets {
			out[k].rules = append(out[k].rules, rule)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].address < out[j].address })
	t.listeners = &out
	return out
}

// forwardsTo: some rule or the default action of the listener may
// forward to the target group (as the configuration names it, or an ARN
// a placeholder in it may stand for).
func (l albListener) forwardsTo(tg string, may func(config, event string) bool) bool {
	for _, acts := range append([][]eventmatch.ALBAction{l.defaults}, rulesActions(l.rules)...) {
		for _, a := range acts {
			for _, g := range a.TargetGroups {
				if may(g.ARN, tg) {
					return true
				}
			}
		}
	}
	return false
}

func rulesActions(rules []eventmatch.ALBRule) [][]eventmatch.ALBAction {
	out := make([][]eventmatch.ALBAction, len(rules))
	for i, r := range rules {
		out[i] = r.Actions
	}
	return out
}

// sameARN compares two ARNs of the configuration.
func sameARN(a, b string) bool { return a == b }

// mayBe: the configuration's ARN is the event's, or holds an identifier
// assigned at creation that the event's may fill.
func mayBe(config, event string) bool {
	return config == event || placeholder(config) && pattern.Match(placeholderGlob(config), event)
}

// matchALB routes the request through the listeners that forward to the
// trigger's target group, rule by rule as the load balancer does, and
// decides whether it lands on this target group (and so its function).
func (t *tracer) matchALB(e entry, ev Event) (eventmatch.Result, bool) {
	var mine []albListener
	for _, l := range t.albListeners() {
		if l.forwardsTo(e.SourceARN, sameARN) {
			mine = append(mine, l)
		}
	}
	if len(mine) == 0 || ev.ALB == nil {
		// No listener of the configuration forwards here: the target
		// group the event names is all there is to go by.
		return sameSource(e.SourceARN, ev.Source)
	}
	// The request came in on a listener that can reach the target group
	// the event names; when no listener here can, any of them may have
	// taken it.
	var arrived []albListener
	for _, l := range mine {
		if l.forwardsTo(ev.Source, mayBe) {
			arrived = append(arrived, l)
		}
	}
	eventHere := mayBe(e.SourceARN, ev.Source)
	if len(arrived) == 0 {
		anyNames := false
		for _, l := range t.albListeners() {
			anyNames = anyNames || l.forwardsTo(ev.Source, mayBe)
		}
		if anyNames {
			return no("source", fmt.Sprintf("the event names target group %s, which no listener forwarding here routes to", ev.Source)), false
		}
		arrived = mine
	}
	best := eventmatch.Result{Verdict: eventmatch.NoMatch}
	for _, l := range arrived {
		r := t.routeResult(l, e.SourceARN, *ev.ALB, eventHere)
		if verdictRank(r.Verdict) < verdictRank(best.Verdict) || best.Reason == "" {
			best = r
		}
	}
	return best, best.Verdict != eventmatch.NoMatch || eventHere
}

// routeResult decides one listener's route for the trigger's target
// group.
func (t *tracer) routeResult(l albListener, tg string, req eventmatch.ALBRequest, eventHere bool) eventmatch.Result {
	route := eventmatch.RouteALB(l.rules, l.defaults, req)
	describe := func(r eventmatch.ALBRoute) string { return t.describeRoute(r) }
	where := "listener " + l.address + ": "
	selected, total, weight := false, 0, 0
	for _, g := range route.TargetGroups {
		total += g.Weight
		if g.ARN == tg {
			selected, weight = true, g.Weight
		}
	}
	var maybeFirst []string
	for _, u := range route.Undecided {
		maybeFirst = append(maybeFirst, fmt.Sprintf("%s (priority %d)", u.Rule, u.Priority))
	}
	note := ""
	if !eventHere {
		note = "; the event names another target group, so the deployed rules may differ from these"
	}
	switch {
	case selected && len(route.TargetGroups) > 1:
		return eventmatch.Result{Verdict: eventmatch.Unknown, Field: "listener-rule",
			Reason: fmt.Sprintf("%s%s, by weight: this target group receives %d of %d", where, describe(route), weight, total)}
	case selected && len(maybeFirst) > 0:
		return eventmatch.Result{Verdict: eventmatch.Unknown, Field: "listener-rule",
			Reason: fmt.Sprintf("%s%s, unless %s, whose conditions are not evaluated, takes it first", where, describe(route), strings.Join(maybeFirst, ", "))}
	case selected:
		how := describe(route)
		if len(route.Auth) > 0 {
			how += " after " + strings.Join(route.Auth, ", ")
		}
		return eventmatch.Result{Verdict: eventmatch.Match, Field: "listener-rule", Reason: where + how + note}
	}
	for _, u := range route.Undecided {
		for _, g := range u.TargetGroups {
			if g.ARN == tg {
				return eventmatch.Result{Verdict: eventmatch.Unknown, Field: "listener-rule",
					Reason: fmt.Sprintf("%s%s, unless rule %s (priority %d), whose conditions are not evaluated and which forwards here, takes it first", where, describe(route), u.Rule, u.Priority)}
			}
		}
	}
	reason := where + describe(route)
	if eventHere {
		reason += " (the event names this target group: the deployed rules may differ from these)"
	}
	return no("listener-rule", reason)
}

// describeRoute says what a route does, naming target groups by their
// addresses where the inventory has them.
func (t *tracer) describeRoute(r eventmatch.ALBRoute) string {
	who := "the default action"
	if r.Rule != "default" {
		who = fmt.Sprintf("rule %s (priority %d)", r.Rule, r.Priority)
	}
	switch r.Action {
	case "forward":
		var names []string
		for _, g := range r.TargetGroups {
			name := g.ARN
			for _, res := range t.inv.Resources {
				if res.ARN == g.ARN && res.Address != "" {
					name = res.Address
					break
				}
			}
			if len(r.TargetGroups) > 1 {
				name += fmt.Sprintf(" (weight %d)", g.Weight)
			}
			names = append(names, name)
		}
		return who + " forwards to " + strings.Join(names, ", ") + passedOver(r)
	case "":
		return who + " has no final action" + passedOver(r)
	}
	return who + " answers with " + r.Action + passedOver(r)
}

// maxListedMisses is how many passed-over rules a reason names.
const maxListedMisses = 3

// passedOver says which earlier rules did not take the request, and why.
func passedOver(r eventmatch.ALBRoute) string {
	if len(r.Misses) == 0 {
		return ""
	}
	var parts []string
	for _, m := range r.Misses[:min(len(r.Misses), maxListedMisses)] {
		parts = append(parts, fmt.Sprintf("%s (priority %d): %s", m.Rule, m.Priority, m.Result.Reason))
	}
	if n := len(r.Misses) - maxListedMisses; n > 0 {
		parts = append(parts, fmt.Sprintf("%d more", n))
	}
	return "; rules passed over: " + strings.Join(parts, "; ")
}

// albFilter names the listeners whose rules route to a target group.
func (t *tracer) albFilter(tg string) string {
	var parts []string
	for _, l := range t.albListeners() {
		if l.forwardsTo(tg, sameARN) {
			parts = append(parts, fmt.Sprintf("listener %s (%d rules and the default action)", l.address, len(l.rules)))
		}
	}
	return strings.Join(parts, "; ")
}

// hasUnknown: some unresolved field starts with prefix.
func hasUnknown(us []inventory.Unknown, prefix string) bool {
	for _, u := range us {
		if strings.HasPrefix(u.Field, prefix) {
			return true
		}
	}
	return false
}

// symbolic: a condition holds a value the configuration does not resolve
// (written as a <symbol>).
func symbolic(c eventmatch.ALBCondition) bool {
	vals := append(append([]string{c.Header}, c.Values...), c.Regex...)
	for _, q := range c.Query {
		vals = append(vals, q[0], q[1])
	}
	for _, v := range vals {
		if i := strings.IndexByte(v, '<'); i >= 0 && strings.IndexByte(v[i:], '>') > 0 {
			return true
		}
	}
	return false
}
