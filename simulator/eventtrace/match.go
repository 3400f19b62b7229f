package eventtrace

import (
	"fmt"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
	"github.com/lambdacheck/lambdacheck/simulator/eventmatch"
)

func no(field, reason string) eventmatch.Result {
	return eventmatch.Result{Verdict: eventmatch.NoMatch, Field: field, Reason: reason}
}

func unknown(field, reason string) eventmatch.Result {
	return eventmatch.Result{Verdict: eventmatch.Unknown, Field: field, Reason: reason}
}

var yes = eventmatch.Result{Verdict: eventmatch.Match}

// placeholderGlob turns each <placeholder> into '*' (the rest of the
// ARN holds no wildcard characters).
func placeholderGlob(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		j := strings.IndexByte(s, '>')
		if i < 0 || j < i {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteByte('*')
		s = s[j+1:]
	}
}

// placeholder: the source names an identifier assigned at creation.
func placeholder(s string) bool { return strings.Contains(s, "<") }

// sameSource compares the trigger's source with the event's; a source the
// configuration did not resolve may be the one.
func sameSource(trigger, event string) (eventmatch.Result, bool) {
	switch {
	case trigger == event:
		return yes, true
	case trigger == "":
		return unknown("source", "the trigger's source is not resolved in the configuration"), true
	case placeholder(trigger):
		// A placeholder stands for an identifier assigned at creation:
		// the rest of the ARN still has to agree.
		if pattern.Match(placeholderGlob(trigger), event) {
			return unknown("source", fmt.Sprintf("the trigger's source %s holds an identifier assigned at creation; the event's source may be it", trigger)), true
		}
	}
	return no("source", fmt.Sprintf("the trigger listens to %s, the event comes from %s", trigger, event)), false
}

// match decides one trigger; the bool is false when it failed only on the
// source.
func (t *tracer) match(i int, e entry, ev Event) (eventmatch.Result, bool) {
	switch ev.Kind {
	case "s3":
		r, ok := sameSource(e.SourceARN, ev.Source)
		if !ok || r.Verdict == eventmatch.Unknown {
			return r, ok
		}
		n := eventmatch.S3Notification{Events: e.Events}
		if e.Filter != nil {
			n.Prefix, n.Suffix = e.Filter.Prefix, e.Filter.Suffix
		}
		if kp, ok := ev.S3Key.(keyPattern); ok {
			return matchKeyPattern(n, ev.S3EventName, kp), true
		}
		return n.Match(ev.S3EventName, ev.S3Key), true
	case "sns":
		r, ok := sameSource(e.SourceARN, ev.Source)
		if !ok || r.Verdict == eventmatch.Unknown || e.Filter == nil || len(e.Filter.Pattern) == 0 {
			return r, ok
		}
		c := t.compile(i, e)
		if c.err != nil {
			return unknown("filter", "the filter policy does not compile: "+c.err.Error()), true
		}
		if u, isUnknown := ev.SNSMessage.(eventmatch.UnknownValue); isUnknown {
			return unknown("MessageAttributes", u.Why), true
		}
		msg, _ := ev.SNSMessage.(string)
		return c.policy.MatchMessage(ev.SNSAttributes, msg), true
	case "sqs", "kinesis", "dynamodb":
		src := e.SourceARN
		evSrc := ev.Source
		if ev.Kind == "dynamodb" {
			src, evSrc = tableOf(src), tableOf(evSrc)
		}
		r, ok := sameSource(src, evSrc)
		if !ok || r.Verdict == eventmatch.Unknown || e.Filter == nil || len(e.Filter.Patterns) == 0 {
			return r, ok
		}
		c := t.compile(i, e)
		if c.err != nil {
			return unknown("filter", "the filter criteria do not compile: "+c.err.Error()), true
		}
		return c.esm.Match(ev.Doc), true
	case "eventbridge":
		busARN, bus := busOfRule(e.SourceARN)
		if busARN == "" {
			return unknown("rule", "the rule is not resolved in the configuration"), true
		}
		if bus != ev.Bus {
			return no("event-bus", fmt.Sprintf("the rule is on bus %s, the event on bus %s", bus, ev.Bus)), false
		}
		if e.Service == "schedule" {
			if contains(ev.Resources, e.SourceARN) {
				return yes, true
			}
			return no("resources", "a scheduled rule fires on its schedule, not on events; this event does not name the rule"), true
		}
		if e.Filter == nil || len(e.Filter.Pattern) == 0 {
			return unknown("event-pattern", "the rule's event pattern is not known"), true
		}
		c := t.compile(i, e)
		if c.err != nil {
			return unknown("event-pattern", "the event pattern does not compile: "+c.err.Error()), true
		}
		return c.pattern.Match(ev.Doc), true
	case "scheduler":
		if e.SourceARN == ev.Source || strings.HasSuffix(e.SourceARN, "/"+ev.Source) {
			return yes, true
		}
		return no("schedule", fmt.Sprintf("this is the target of %s", e.SourceARN)), false
	case "logs":
		if !strings.HasSuffix(e.SourceARN, ":log-group:"+ev.LogGroup+":*") {
			return no("logGroup", fmt.Sprintf("the subscription is on %s", e.SourceARN)), false
		}
		return t.matchLogs(i, e, ev), true
	case "iot":
		if e.Filter == nil || e.Filter.Expression == "" {
			return unknown("sql", "the rule's SQL is not known"), true
		}
		c := t.compile(i, e)
		if c.err != nil {
			return unknown("sql", c.err.Error()), true
		}
		if u, isUnknown := ev.Payload.(eventmatch.UnknownValue); isUnknown && c.iot.Where != "" && eventmatch.TopicMatches(c.iot.Topic, ev.Topic) {
			return unknown("WHERE", u.Why), true
		}
		return c.iot.Match(ev.Topic, ev.Payload), true
	case "apigateway":
		api, stage := apiOf(e.SourceARN)
		if ev.APIID != "" && api != "" && !placeholder(api) && api != ev.APIID {
			return no("apiId", fmt.Sprintf("the route belongs to API %s", api)), false
		}
		if ev.HTTPAPI && e.Service == "apigateway" {
			return no("version", "payload format 2.0 comes from an HTTP API; this is a REST API method"), false
		}
		if stage == "authorizers" {
			return unknown("authorizer", "a Lambda authorizer of the API: it runs before the routes that use it"), true
		}
		if ev.Stage != "" && stage != "" && !placeholder(stage) && stage != ev.Stage && stage != "*" {
			return no("stage", fmt.Sprintf("the route is deployed on stage %s", stage)), false
		}
		if e.Filter == nil || e.Filter.Expression == "" {
			return unknown("route", "the route key is not known"), true
		}
		c := t.compile(i, e)
		if c.err != nil {
			return unknown("route", c.err.Error()), true
		}
		return c.route.Match(ev.Method, ev.Path), true
	case "function_url":
		if e.SourceARN == "" || ev.Domain == "" {
			return unknown("domainName", "the function URL is not known"), true
		}
		if placeholder(e.SourceARN) {
			if pattern.Match(placeholderGlob(e.SourceARN), "https://"+ev.Domain+"/") {
				return unknown("domainName", "the function URL's id is assigned at creation; the request's URL may be it"), true
			}
			return no("domainName", fmt.Sprintf("the function URL is %s", e.SourceARN)), false
		}
		if !strings.Contains(e.SourceARN, "//"+ev.Domain) {
			return no("domainName", fmt.Sprintf("the function URL is %s", e.SourceARN)), false
		}
		return yes, true
	case "alb":
		return t.matchALB(e, ev)
	}
	return no("type", "not routed"), false
}

// apiOf reads API id and stage from an execute-api ARN.
func apiOf(arn string) (api, stage string) {
	i := strings.Index(arn, ":execute-api:")
	if i < 0 {
		return "", ""
	}
	parts := strings.SplitN(arn[i:], ":", 4)
	if len(parts) < 4 {
		return "", ""
	}
	seg := strings.Split(parts[3], "/")
	api = seg[0]
	if len(seg) > 1 {
		stage = seg[1]
	}
	return api, stage
}

// pickRoutes keeps, per API and stage, only the most specific of the
// matching routes, as API Gateway does.
func (t *tracer) pickRoutes(out []TriggerTrace) {
	best := map[string]int{}
	spec := func(tt *TriggerTrace) int {
		if tt.Type != "apigateway" && tt.Type != "apigatewayv2" || tt.Match.Verdict != eventmatch.Match {
			return -2
		}
		key := tt.Filter
		r, err := eventmatch.ParseRoute(key)
		if err != nil {
			return -2
		}
		return r.Specificity()
	}
	group := func(tt *TriggerTrace) string {
		api, stage := apiOf(tt.Source)
		return api + "/" + stage
	}
	for i := range out {
		if s := spec(&out[i]); s > -2 {
			g := group(&out[i])
			if j, ok := best[g]; !ok || s > spec(&out[j]) {
				best[g] = i
			}
		}
	}
	for i := range out {
		if spec(&out[i]) > -2 {
			if j := best[group(&out[i])]; j != i {
				out[i].Match = no("route", fmt.Sprintf("route %s is more specific", out[j].Filter))
			}
		}
	}
}

// compile compiles (once) the filter of entry i.
func (t *tracer) compile(i int, e entry) compiledFilter {
	if c, ok := t.compiled[i]; ok {
		return c
	}
	var c compiledFilter
	f := e.Filter
	switch e.Service {
	case "sns":
		c.policy, c.err = eventmatch.CompileFilterPolicy(f.Pattern, f.Scope)
	case "eventbridge":
		c.pattern, c.err = eventmatch.Compile(f.Pattern, eventmatch.EventBridge)
	case "sqs", "kinesis", "dynamodb":
		docs := make([][]byte, len(f.Patterns))
		for k, p := range f.Patterns {
			docs[k] = p
		}
		c.esm, c.err = eventmatch.CompileFilterCriteria(docs)
	case "iot":
		c.iot, c.err = eventmatch.ParseIoTSQL(f.Expression)
	case "logs":
		c.logs, c.err = eventmatch.ParseLogPattern(f.Expression)
	case "apigateway", "apigatewayv2":
		var r eventmatch.Route
		r, c.err = eventmatch.ParseRoute(f.Expression)
		c.route = &r
	}
	t.compiled[i] = c
	return c
}

// keyPattern is a derived S3 key known only as the policy pattern the
// function may write under ("out/*").
type keyPattern struct{ pattern string }

// matchKeyPattern decides a notification for any key a pattern allows:
// no when no such key can pass the filter, unknown otherwise.
func matchKeyPattern(n eventmatch.S3Notification, eventName string, kp keyPattern) eventmatch.Result {
	r := n.Match(eventName, "")
	if r.Field == "eventName" {
		return r
	}
	if n.Prefix == "" && n.Suffix == "" {
		return yes
	}
	lit := kp.pattern
	if i := strings.IndexAny(lit, "*?"); i >= 0 {
		lit = lit[:i]
	}
	if !strings.HasPrefix(lit, n.Prefix) && !strings.HasPrefix(n.Prefix, lit) {
		return no("s3.object.key", fmt.Sprintf("the function writes only keys matching %q, none with prefix %q", kp.pattern, n.Prefix))
	}
	if !strings.ContainsAny(kp.pattern, "*?") {
		return n.Match(eventName, eventmatch.EncodeS3Key(kp.pattern))
	}
	tail := kp.pattern[strings.LastIndexAny(kp.pattern, "*?")+1:]
	if n.Suffix != "" && !strings.HasSuffix(tail, n.Suffix) && !strings.HasSuffix(n.Suffix, tail) {
		return no("s3.object.key", fmt.Sprintf("the function writes only keys matching %q, none with suffix %q", kp.pattern, n.Suffix))
	}
	// Every key the pattern allows passes both filters. (Filters compare
	// URL-encoded keys; a literal part without special characters reads
	// the same encoded.)
	if strings.HasPrefix(lit, n.Prefix) && strings.HasSuffix(tail, n.Suffix) &&
		lit == eventmatch.EncodeS3Key(lit) && tail == eventmatch.EncodeS3Key(tail) {
		return yes
	}
	return unknown("s3.object.key", fmt.Sprintf("the key is chosen at run time (the function may write %q)", kp.pattern))
}

// matchLogs decides a subscription filter for each log event of the
// record: it delivers the events its pattern matches, and nothing when
// none does. A trace of the record lists which ones it delivers.
func (t *tracer) matchLogs(i int, e entry, ev Event) eventmatch.Result {
	msgs, ok := logMessages(ev.Doc)
	if !ok {
		return unknown("logEvents", "the record's log events are not known")
	}
	if e.Filter == nil || strings.TrimSpace(e.Filter.Expression) == "" {
		return yes
	}
	if j := strings.IndexByte(e.Filter.Expression, '<'); j >= 0 && strings.IndexByte(e.Filter.Expression[j:], '>') > 0 {
		// A <symbol>: part of the pattern is not resolved in the
		// configuration.
		return unknown("filterPattern", "the filter pattern is not resolved in the configuration")
	}
	c := t.compile(i, e)
	if c.err != nil {
		return unknown("filterPattern", "the filter pattern does not compile: "+c.err.Error())
	}
	hit, miss := c.logs.MatchLogEvents(msgs)
	switch {
	case len(msgs) == 0:
		return no("logEvents", "the record holds no log events")
	case len(hit) == 0:
		return no("filterPattern", fmt.Sprintf("none of the %d log events matches: %s", len(msgs), miss.Reason))
	case len(hit) < len(msgs):
		return eventmatch.Result{Verdict: eventmatch.Match, Field: "filterPattern",
			Reason: fmt.Sprintf("delivers %d of %d log events: %s", len(hit), len(msgs), joinInts(hit))}
	}
	return yes
}

// logMessages reads the messages of a CloudWatch Logs record's logEvents.
func logMessages(doc any) ([]string, bool) {
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, false
	}
	list, ok := m["logEvents"].([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, le := range list {
		lm, _ := le.(map[string]any)
		s, _ := lm["message"].(string)
		out = append(out, s)
	}
	return out, true
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for k, x := range xs {
		parts[k] = fmt.Sprint(x)
	}
	return strings.Join(parts, ", ")
}
