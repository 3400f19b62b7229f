package simulator

import (
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
	"firehose":    {"firehose:PutRecord", "firehose:PutRecordBatch"},
}

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
// An aggregated access (covered) is already known to cover the source.
func (w *world) causes(acc, inv *flow.Flow, acts []string, covered bool) (string, bool) {
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
		if !covered && res != table && !(acc.Outside && pattern.Match(res, table)) {
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
		if !covered && res != src && !(acc.Outside && pattern.Match(res, src)) {
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
	if w.filters == nil {
		w.filters = map[[2]string]*inventory.Filter{}
		for i := range w.inv.Triggers {
			t := &w.inv.Triggers[i]
			k := [2]string{t.Address, t.SourceARN}
			if _, seen := w.filters[k]; !seen {
				w.filters[k] = t.Filter
			}
		}
	}
	return w.filters[[2]string{address, src}]
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
