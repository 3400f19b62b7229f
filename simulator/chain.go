package simulator

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Actions that make a source deliver an event, by trigger type.
var triggeringActions = map[string][]string{
	"s3":          {"s3:PutObject", "s3:RestoreObject", "s3:DeleteObject", "s3:PutObjectTagging", "s3:PutObjectAcl"},
	"sns":         {"sns:Publish"},
	"sqs":         {"sqs:SendMessage"},
	"kinesis":     {"kinesis:PutRecord", "kinesis:PutRecords"},
	"dynamodb":    {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"},
	"eventbridge": {"events:PutEvents"},
}

// hop is one link of the function graph: function From writes (access flow)
// to a source that triggers function To (invoke flow).
type hop struct {
	from, to string // function ARNs
	access   *flow.Flow
	invoke   *flow.Flow
	action   string
}

// chainFlows links access flows to the invoke flows they can cause, and
// reports multi-hop paths from entries and invocation loops.
func (w *world) chainFlows(flows []flow.Flow, maxDepth int) []flow.Flow {
	var invokes, accesses []*flow.Flow
	for i := range flows {
		f := &flows[i]
		if f.Decision == flow.Denied {
			continue
		}
		switch f.Kind {
		case flow.KindInvoke:
			invokes = append(invokes, f)
		case flow.KindAccess:
			accesses = append(accesses, f)
		}
	}
	edges := map[string][]hop{}
	// Edges: function → function. Accesses are indexed by the resource they
	// touch (a bucket for its objects, a table for its stream) so that each
	// trigger meets only the writes aimed at its source.
	byKey := map[string][]*flow.Flow{}
	var wildcard []*flow.Flow
	for _, acc := range accesses {
		if acc.Function == nil || acc.Resource == nil || !hasTriggeringAction(acc.Actions) {
			continue
		}
		if acc.Outside && strings.ContainsAny(acc.Resource.ARN, "*?") {
			wildcard = append(wildcard, acc)
			continue
		}
		k := sourceKey(acc.Resource.ARN)
		byKey[k] = append(byKey[k], acc)
	}
	for _, inv := range invokes {
		tr := inv.Trigger
		acts := triggeringActions[tr.Type]
		if len(acts) == 0 {
			continue
		}
		key := sourceKey(tr.Source.ARN)
		if tr.Type == "eventbridge" {
			key = w.busOfRule(tr.Source.ARN)
		}
		cands := append(append([]*flow.Flow(nil), byKey[key]...), wildcard...)
		for _, acc := range cands {
			action, ok := w.causes(acc, inv, acts)
			if !ok {
				continue
			}
			h := hop{from: acc.Function.ARN, to: tr.Function.ARN, access: acc, invoke: inv, action: action}
			// One hop per function → trigger: prefer a grant on the named
			// resource over a wildcard one that also covers it.
			replaced := false
			for i, prev := range edges[h.from] {
				if prev.invoke == inv {
					if prev.access.Outside && !acc.Outside {
						edges[h.from][i] = h
					}
					replaced = true
				}
			}
			if !replaced {
				edges[h.from] = append(edges[h.from], h)
			}
		}
	}
	// Direct invocation: lambda:InvokeFunction on another function.
	for _, acc := range accesses {
		if acc.Function == nil || acc.Resource == nil || serviceOf(acc.Resource.ARN) != "lambda" || !contains(acc.Actions, "lambda:InvokeFunction") {
			continue
		}
		target := unqualified(acc.Resource.ARN)
		if _, ok := w.funcs[target]; ok {
			edges[acc.Function.ARN] = append(edges[acc.Function.ARN], hop{from: acc.Function.ARN, to: target, access: acc, action: "lambda:InvokeFunction"})
		}
	}

	// Entries: invoke flows whose source no function writes to, and public
	// or cross-account reach of a function.
	written := map[string]bool{}
	for _, hs := range edges {
		for _, h := range hs {
			if h.invoke != nil {
				written[h.invoke.ID] = true
			}
		}
	}
	var entries []*flow.Flow
	for _, inv := range invokes {
		if !written[inv.ID] {
			entries = append(entries, inv)
		}
	}
	for i := range flows {
		f := &flows[i]
		if f.Kind == flow.KindReach && f.Decision != flow.Denied && (f.Reach == "public" || f.Reach == "public-url" || f.Reach == "account") && f.Target != nil && serviceOf(f.Target.ARN) == "lambda" {
			entries = append(entries, f)
		}
	}

	accessByFn := map[string][]*flow.Flow{}
	for _, acc := range accesses {
		if acc.Function != nil && (acc.Level == "Write" || acc.Level == "Permissions management") && touchesData(acc) {
			accessByFn[acc.Function.ARN] = append(accessByFn[acc.Function.ARN], acc)
		}
	}

	var out []flow.Flow
	seen := map[string]bool{}
	perEntry := 0
	truncated := false
	emit := func(path []string, decisions []flow.Decision, loop bool, title string) {
		id := "chain/" + strings.Join(path, " => ")
		if seen[id] {
			return
		}
		if perEntry >= maxChainsPerEntry || len(out) >= maxChains {
			truncated = true
			return
		}
		seen[id] = true
		perEntry++
		fl := flow.Flow{ID: id, Kind: flow.KindChain, Decision: flow.Combine(decisions...), Path: append([]string(nil), path...), Loop: loop, Title: title}
		fl.Steps = append(fl.Steps, note("path", fl.Decision, title))
		out = append(out, fl)
	}
	for _, e := range entries {
		start := entryFunction(e)
		if start == "" {
			continue
		}
		perEntry = 0
		public := e.Kind == flow.KindReach
		var walk func(fn string, path []string, decisions []flow.Decision, visited map[string]bool, depth int, names []string)
		walk = func(fn string, path []string, decisions []flow.Decision, visited map[string]bool, depth int, names []string) {
			// From an outside entry, every write the reached function can do
			// to data ends a path worth reporting; from an ordinary trigger,
			// a path is reported once it crosses from one function to another.
			if public {
				for _, acc := range accessByFn[fn] {
					p := append(append([]string(nil), path...), acc.ID)
					t := strings.Join(append(append([]string(nil), names...), acc.Level+" on "+nonEmpty(acc.Resource.Address, acc.Resource.ARN)), " → ")
					emit(p, append(append([]flow.Decision(nil), decisions...), acc.Decision), false, t)
				}
			} else if depth > 1 {
				emit(path, decisions, false, strings.Join(names, " → "))
			}
			if depth >= maxDepth {
				return
			}
			for _, h := range edges[fn] {
				p := append(append([]string(nil), path...), h.access.ID)
				d := append(append([]flow.Decision(nil), decisions...), h.access.Decision)
				n := append(append([]string(nil), names...), h.action+" "+nonEmpty(h.access.Resource.Address, h.access.Resource.ARN))
				if h.invoke != nil {
					p = append(p, h.invoke.ID)
					d = append(d, h.invoke.Decision)
				}
				toName := w.funcName(h.to)
				if visited[h.to] {
					emit(p, d, true, strings.Join(append(n, toName+" (loop)"), " → "))
					continue
				}
				visited[h.to] = true
				walk(h.to, p, d, visited, depth+1, append(n, toName))
				delete(visited, h.to)
			}
		}
		visited := map[string]bool{start: true}
		walk(start, []string{e.ID}, []flow.Decision{e.Decision}, visited, 1, []string{entryName(e), w.funcName(start)})
	}
	perEntry = 0
	// Loops, whether or not an entry reaches them: every cycle of the
	// function graph up to the depth bound, reported once (from its
	// smallest function).
	var starts []string
	for fn := range edges {
		starts = append(starts, fn)
	}
	sort.Strings(starts)
	for _, origin := range starts {
		perEntry = 0
		var walk func(fn string, path []string, decisions []flow.Decision, names []string, onPath map[string]bool, depth int)
		walk = func(fn string, path []string, decisions []flow.Decision, names []string, onPath map[string]bool, depth int) {
			for _, h := range edges[fn] {
				if h.to < origin || (onPath[h.to] && h.to != origin) {
					continue
				}
				p := append(append([]string(nil), path...), h.access.ID)
				d := append(append([]flow.Decision(nil), decisions...), h.access.Decision)
				n := append(append([]string(nil), names...), h.action+" "+nonEmpty(h.access.Resource.Address, h.access.Resource.ARN))
				if h.invoke != nil {
					p = append(p, h.invoke.ID)
					d = append(d, h.invoke.Decision)
				}
				if h.to == origin {
					emit(p, d, true, strings.Join(append(n, w.funcName(origin)+" (loop)"), " → "))
					continue
				}
				if depth >= maxDepth {
					continue
				}
				onPath[h.to] = true
				walk(h.to, p, d, append(n, w.funcName(h.to)), onPath, depth+1)
				delete(onPath, h.to)
			}
		}
		walk(origin, nil, nil, []string{w.funcName(origin)}, map[string]bool{origin: true}, 1)
	}
	if truncated {
		w.addUnknown("chains", "", fmt.Sprintf("chain enumeration stopped at %d paths per entry and %d in all; narrow the input or lower --depth", maxChainsPerEntry, maxChains), "", 0)
	}
	return out
}

// Bounds on chain enumeration: paths multiply with fan-out, and a report
// of thousands of paths helps nobody.
const (
	maxChainsPerEntry = 100
	maxChains         = 5000
)

// sourceKey is the resource a trigger source or a written ARN belongs to:
// the bucket of an object, the table of a stream, else the ARN itself.
func sourceKey(arn string) string {
	if rest, ok := strings.CutPrefix(arn, "arn:aws:s3:::"); ok {
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			return arn[:len("arn:aws:s3:::")+i]
		}
		return arn
	}
	if i := strings.Index(arn, "/stream/"); i >= 0 && strings.HasPrefix(arn, "arn:aws:dynamodb:") {
		return arn[:i]
	}
	return arn
}

var allTriggeringActions = func() map[string]bool {
	m := map[string]bool{}
	for _, acts := range triggeringActions {
		for _, a := range acts {
			m[a] = true
		}
	}
	return m
}()

func hasTriggeringAction(actions []string) bool {
	for _, a := range actions {
		if allTriggeringActions[a] {
			return true
		}
	}
	return false
}

// causes reports whether access flow acc allows an action that makes the
// trigger of inv fire, respecting S3 key filters.
func (w *world) causes(acc, inv *flow.Flow, acts []string) (string, bool) {
	tr := inv.Trigger
	src := tr.Source.ARN
	res := acc.Resource.ARN
	switch tr.Type {
	case "s3":
		bucket := strings.TrimPrefix(src, "arn:aws:s3:::")
		key, ok := strings.CutPrefix(res, "arn:aws:s3:::"+bucket+"/")
		if !ok && res != "*" && !pattern.Match(res, src+"/x") {
			return "", false
		}
		if !ok {
			key = "*"
		}
		prefix, suffix := "", ""
		if f := w.triggerFilter(tr.Address, src); f != nil {
			prefix, suffix = f.Prefix, f.Suffix
		}
		if !keyOverlaps(key, prefix, suffix) {
			return "", false
		}
		// The action must cause one of the notification's event types.
		for _, a := range acts {
			if contains(acc.Actions, a) && s3EventMatches(a, tr.Events) {
				return a, true
			}
		}
		return "", false
	case "dynamodb":
		// The mapping reads the table's stream; writes go to the table.
		table := src
		if i := strings.Index(src, "/stream/"); i >= 0 {
			table = src[:i]
		}
		if res != table && !(acc.Outside && pattern.Match(res, table)) {
			return "", false
		}
	case "eventbridge":
		// Rules on a bus fire on events put to that bus.
		if !strings.HasPrefix(res, "arn:aws:events:") || !strings.Contains(res, ":event-bus/") {
			return "", false
		}
		if !w.ruleOnBus(src, res) {
			return "", false
		}
	default:
		if res != src && !(acc.Outside && pattern.Match(res, src)) {
			return "", false
		}
	}
	for _, a := range acts {
		if contains(acc.Actions, a) {
			return a, true
		}
	}
	return "", false
}

func (w *world) triggerFilter(address, src string) *inventory.Filter {
	for i := range w.inv.Triggers {
		t := &w.inv.Triggers[i]
		if t.Address == address && t.SourceARN == src {
			return t.Filter
		}
	}
	return nil
}

// busOfRule returns the ARN of the event bus a rule listens on.
func (w *world) busOfRule(ruleARN string) string {
	parts := strings.SplitN(ruleARN, ":", 6)
	if len(parts) != 6 {
		return ""
	}
	bus := "default"
	if info, ok := w.res[ruleARN]; ok && info.res.Attributes["event_bus_name"] != "" {
		bus = info.res.Attributes["event_bus_name"]
		if i := strings.LastIndexByte(bus, '/'); i >= 0 {
			bus = bus[i+1:]
		}
	} else if rest, ok := strings.CutPrefix(parts[5], "rule/"); ok {
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			bus = rest[:i]
		}
	}
	return strings.Join(parts[:5], ":") + ":event-bus/" + bus
}

// ruleOnBus reports whether the rule (by ARN) listens on the bus (by ARN).
func (w *world) ruleOnBus(ruleARN, busARN string) bool {
	bus := busARN[strings.LastIndex(busARN, "/")+1:]
	if info, ok := w.res[ruleARN]; ok {
		if b := info.res.Attributes["event_bus_name"]; b != "" {
			return b == bus || strings.HasSuffix(b, "/"+bus)
		}
	}
	// A rule ARN of the form rule/RULE is on the default bus; rule/BUS/RULE on BUS.
	rest := ruleARN[strings.Index(ruleARN, ":rule/")+len(":rule/"):]
	if i := strings.Index(rest, "/"); i >= 0 {
		return rest[:i] == bus
	}
	return bus == "default"
}

// s3Events maps object actions to the notification event they cause.
var s3Events = map[string]string{
	"s3:PutObject":        "s3:ObjectCreated:Put",
	"s3:RestoreObject":    "s3:ObjectRestore:Post",
	"s3:DeleteObject":     "s3:ObjectRemoved:Delete",
	"s3:PutObjectTagging": "s3:ObjectTagging:Put",
	"s3:PutObjectAcl":     "s3:ObjectAcl:Put",
}

func s3EventMatches(action string, events []string) bool {
	ev := s3Events[action]
	if len(events) == 0 {
		return action == "s3:PutObject"
	}
	for _, e := range events {
		if pattern.Match(e, ev) {
			return true
		}
	}
	return false
}

// touchesData reports whether an access flow reaches something other than
// the function's own plumbing (logs, traces, metrics, network interfaces).
func touchesData(acc *flow.Flow) bool {
	for _, a := range acc.Actions {
		svc, name, _ := strings.Cut(a, ":")
		switch {
		case svc == "logs" || svc == "xray" || svc == "cloudwatch":
		case svc == "ec2" && strings.Contains(name, "NetworkInterface"):
		default:
			return true
		}
	}
	return false
}

// keyOverlaps reports whether some object key can match both the key
// pattern the function may write and the notification's prefix/suffix.
func keyOverlaps(keyPattern, prefix, suffix string) bool {
	if pattern.Match(keyPattern, prefix+"lambdacheck"+suffix) {
		return true
	}
	lit := keyPattern
	if i := strings.IndexAny(lit, "*?"); i >= 0 {
		lit = lit[:i]
	} else {
		return strings.HasPrefix(keyPattern, prefix) && strings.HasSuffix(keyPattern, suffix)
	}
	if !(strings.HasPrefix(lit, prefix) || strings.HasPrefix(prefix, lit)) {
		return false
	}
	tail := keyPattern[strings.LastIndexAny(keyPattern, "*?")+1:]
	return strings.HasSuffix(tail, suffix) || strings.HasSuffix(suffix, tail)
}

func entryFunction(e *flow.Flow) string {
	switch {
	case e.Trigger != nil:
		return e.Trigger.Function.ARN
	case e.Target != nil:
		return unqualified(e.Target.ARN)
	}
	return ""
}

func entryName(e *flow.Flow) string {
	if e.Trigger != nil {
		return e.Trigger.Type + " " + nonEmpty(e.Trigger.Source.Address, e.Trigger.Source.ARN)
	}
	return e.Reach + " " + e.Principal
}

func (w *world) funcName(arn string) string {
	if f, ok := w.funcs[arn]; ok && f.Address != "" {
		return f.Address
	}
	return arn
}

// unqualified drops an alias or version from a function ARN.
func unqualified(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) == 8 && parts[2] == "lambda" && parts[5] == "function" {
		return strings.Join(parts[:7], ":")
	}
	return arn
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
