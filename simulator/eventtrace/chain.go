package eventtrace

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/simulator/eventmatch"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Actions that make a source deliver an event, by trigger type.
var deliveringActions = map[string][]string{
	"s3":          {"s3:PutObject", "s3:DeleteObject", "s3:RestoreObject", "s3:PutObjectTagging", "s3:PutObjectAcl"},
	"sns":         {"sns:Publish"},
	"sqs":         {"sqs:SendMessage"},
	"kinesis":     {"kinesis:PutRecord", "kinesis:PutRecords"},
	"dynamodb":    {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"},
	"eventbridge": {"events:PutEvents"},
}

// s3EventOf is the notification event an S3 write causes.
var s3EventOf = map[string]string{
	"s3:PutObject":        "ObjectCreated:Put",
	"s3:DeleteObject":     "ObjectRemoved:Delete",
	"s3:RestoreObject":    "ObjectRestore:Post",
	"s3:PutObjectTagging": "ObjectTagging:Put",
	"s3:PutObjectAcl":     "ObjectAcl:Put",
}

// hops follows one access flow: for every trigger source it can write to,
// a derived event is routed like the original one.
func (t *tracer) hops(acc *flow.Flow, path []string, depth int) []Hop {
	type target struct{ kind, source, action string }
	seen := map[target]bool{}
	var targets []target
	for _, e := range t.entries {
		kind := e.Service
		if kind == "schedule" {
			continue
		}
		acts := deliveringActions[kind]
		if len(acts) == 0 {
			continue
		}
		action := ""
		for _, a := range acts {
			if !contains(acc.Actions, a) {
				continue
			}
			// An S3 write delivers only to configurations of its event
			// type (a delete does not reach ObjectCreated:*).
			if kind == "s3" && !anyS3Event(e.Events, s3EventOf[a]) {
				continue
			}
			action = a
			break
		}
		if action == "" || e.SourceARN == "" {
			continue
		}
		source := e.SourceARN
		if kind == "eventbridge" {
			source, _ = busOfRule(e.SourceARN)
		}
		if !t.reaches(acc, kind, source) {
			continue
		}
		tg := target{kind, source, action}
		if kind == "s3" {
			tg.source = bucketOf(source)
		}
		if !seen[tg] {
			seen[tg] = true
			targets = append(targets, tg)
		}
	}
	sort.Slice(targets, func(i, j int) bool {
		if targets[i].kind != targets[j].kind {
			return targets[i].kind < targets[j].kind
		}
		return targets[i].source < targets[j].source
	})
	var out []Hop
	for _, tg := range targets {
		ev := t.derive(acc, tg.kind, tg.source, tg.action)
		h := Hop{Write: acc.ID, Action: tg.action, Event: ev}
		if depth >= t.opt.Depth {
			h.Stopped = fmt.Sprintf("depth %d reached", t.opt.Depth)
			trs, _ := t.routeShallow(ev)
			h.Triggers = trs
			if len(h.Triggers) > 0 {
				out = append(out, h)
			}
			continue
		}
		trs, _ := t.route(ev, path, depth+1)
		for _, tt := range trs {
			if tt.OtherSource {
				continue
			}
			if contains(path, t.entries[tt.entry].FunctionARN) && tt.Match.Verdict != eventmatch.NoMatch {
				h.Stopped = "loop: the chain reaches a function already on it"
			}
			h.Triggers = append(h.Triggers, tt)
		}
		if len(h.Triggers) > 0 {
			out = append(out, h)
		}
	}
	return out
}

// routeShallow decides the triggers of a derived event without following
// them further.
func (t *tracer) routeShallow(ev Event) ([]TriggerTrace, int) {
	saved := t.opt.Depth
	defer func() { t.opt.Depth = saved }()
	var out []TriggerTrace
	for i, e := range t.entries {
		if !contains(kinds[ev.Kind], e.Service) {
			continue
		}
		tt := TriggerTrace{Trigger: e.Address, Type: e.Service, Source: e.SourceARN, Function: e.fnAddress,
			Qualifier: e.Qualifier, File: e.File, Line: e.Line, Filter: describeFilter(e.Trigger), entry: i}
		var sameSource bool
		tt.Match, sameSource = t.match(i, e, ev)
		if !sameSource {
			continue
		}
		if f := t.invokes[invokeKey(e.Address, e.FunctionARN, e.SourceARN, e.Qualifier, e.Events)]; f != nil && tt.Match.Verdict != eventmatch.NoMatch {
			tt.Invoke = &Invoke{Flow: f.ID, Decision: f.Decision, Steps: f.Steps}
		}
		out = append(out, tt)
	}
	return out, 0
}

func anyS3Event(configured []string, event string) bool {
	for _, c := range configured {
		if eventmatch.S3EventMatches(c, event) {
			return true
		}
	}
	return false
}

// derive makes the event a write delivers to a source. What the function
// puts in it (key, attributes, body, detail) is not known statically.
func (t *tracer) derive(acc *flow.Flow, kind, source, action string) Event {
	fn := ""
	if acc.Function != nil {
		fn = firstNonEmpty(acc.Function.Address, acc.Function.ARN)
	}
	cause := fmt.Sprintf("%s by %s (%s)", action, fn, acc.ID)
	unknownBody := eventmatch.UnknownValue{Why: "the content the function writes is not known"}
	ev := Event{Kind: kind, Source: source, Derived: true, Cause: cause}
	switch kind {
	case "s3":
		ev.S3EventName = s3EventOf[action]
		key := ""
		if rest, ok := strings.CutPrefix(acc.Resource.ARN, source+"/"); ok {
			key = rest
		}
		switch {
		case key == "" || key == "*":
			ev.S3Key = eventmatch.UnknownValue{Why: "the key the function writes is not known"}
			ev.Summary = fmt.Sprintf("S3 %s s3://%s/(any key)", ev.S3EventName, strings.TrimPrefix(source, "arn:aws:s3:::"))
		default:
			ev.S3Key = keyPattern{key}
			ev.Summary = fmt.Sprintf("S3 %s s3://%s/%s", ev.S3EventName, strings.TrimPrefix(source, "arn:aws:s3:::"), key)
		}
	case "sns":
		ev.SNSMessage = eventmatch.UnknownValue{Why: "the message and attributes the function publishes are not known"}
		ev.Summary = "SNS message on " + source
	case "sqs", "kinesis", "dynamodb":
		ev.Doc = unknownBody
		ev.Summary = fmt.Sprintf("%s record from %s", kind, source)
	case "eventbridge":
		_, ev.Bus = busName(source)
		ev.Doc = eventmatch.UnknownValue{Why: "the event the function puts is not known"}
		ev.Summary = "EventBridge event on bus " + ev.Bus
	}
	return ev
}

func busName(busARN string) (string, string) {
	i := strings.Index(busARN, ":event-bus/")
	if i < 0 {
		return busARN, "default"
	}
	return busARN, busARN[i+len(":event-bus/"):]
}
