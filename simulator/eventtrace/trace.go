// Package eventtrace follows one concrete event through an application:
// which triggers deliver it (and, for each one that does not, the first
// condition that failed), whether each delivery may invoke its function
// (the decision and deciding statements of the simulated invoke flow),
// what the invoked function can reach, marked where the event plausibly
// leads, and which further functions its writes trigger, with a derived
// event, up to a depth.
//
// Pipeline place: inventory + flows → (this package) → report. It reads
// the simulator's flows and the inventory's trigger configurations and
// asks the eventmatch package how AWS would route the event; it never
// re-decides IAM.
package eventtrace

import (
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/eventmatch"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Options bound a trace.
type Options struct {
	// Depth is the longest chain to follow, in functions (1: only the
	// functions the event itself invokes).
	Depth int
}

// Trace is the whole answer for one event.
type Trace struct {
	Event    Event          `json:"event"`
	Triggers []TriggerTrace `json:"triggers"`
	// OtherTriggers counts triggers of other types, which never see this
	// event.
	OtherTriggers int       `json:"other_triggers"`
	Findings      []Finding `json:"findings"`
	// Records holds every traced record of a document with several
	// (Event, Triggers and OtherTriggers repeat the first); RecordsTotal
	// counts the document's records, traced or not (past MaxRecords).
	Records      []RecordTrace `json:"records,omitempty"`
	RecordsTotal int           `json:"records_total,omitempty"`
}

// RecordTrace is one record's part of a several-record document.
type RecordTrace struct {
	// Index is the record's place in the document's Records, from 0.
	Index         int            `json:"index"`
	Event         Event          `json:"event"`
	Triggers      []TriggerTrace `json:"triggers"`
	OtherTriggers int            `json:"other_triggers"`
}

// TriggerTrace is one trigger's part: did the event get through, and what
// followed.
type TriggerTrace struct {
	Trigger   string            `json:"trigger"`
	Type      string            `json:"type"`
	Source    string            `json:"source,omitempty"`
	Function  string            `json:"function"`
	Qualifier string            `json:"qualifier,omitempty"`
	File      string            `json:"file,omitempty"`
	Line      int               `json:"line,omitempty"`
	Filter    string            `json:"filter,omitempty"`
	Match     eventmatch.Result `json:"match"`
	Invoke    *Invoke           `json:"invoke,omitempty"`
	Reach     []Reach           `json:"reach,omitempty"`
	Next      []Hop             `json:"next,omitempty"`
	// OtherSource marks a no-match only because the trigger listens to
	// another resource (bucket, topic, queue, bus …); hops leave those
	// out and the tree counts them on one line.
	OtherSource bool `json:"other_source,omitempty"`
	entry       int  // index into tracer.entries
}

// Invoke is the simulated invoke flow's decision for a delivered event.
type Invoke struct {
	Flow     string        `json:"flow"`
	Decision flow.Decision `json:"decision"`
	Steps    []flow.Step   `json:"steps"`
}

// Reach is one access flow of an invoked function. Marks say why it is a
// plausible consequence of this event: "event source" (it touches the
// resource the event came from), "named in event" (the event names it),
// "triggers next" (the write delivers a further event), or the access
// purpose (destination, dead-letter …). Unmarked reach is listed too.
type Reach struct {
	Flow     string `json:"flow"`
	Resource string `json:"resource"`
	ARN      string `json:"arn"`
	Pattern  bool   `json:"pattern,omitempty"` // ARN is a policy pattern, not one resource
	// Covers counts the inventory resources an aggregated access flow
	// stands for (of CoverType), listed in the flows' resource sets.
	Covers    int           `json:"covers,omitempty"`
	CoverType string        `json:"cover_type,omitempty"`
	Level     string        `json:"level"`
	Actions   []string      `json:"actions"`
	Decision  flow.Decision `json:"decision"`
	Marks     []string      `json:"marks,omitempty"`
}

// Hop is a function's write that delivers a derived event to further
// triggers.
type Hop struct {
	Write    string         `json:"write"` // access flow id
	Action   string         `json:"action"`
	Event    Event          `json:"event"`
	Triggers []TriggerTrace `json:"triggers"`
	// Stopped says why the chain was not followed further (depth, loop).
	Stopped string `json:"stopped,omitempty"`
}

// Finding is a configuration AWS would reject or that cannot be evaluated.
type Finding struct {
	Kind    string `json:"kind"` // s3-overlap, sns-combinations, invalid-filter
	Address string `json:"address"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// entry is a trigger that targets a function: an inventory trigger, or a
// function URL.
type entry struct {
	inventory.Trigger
	fnAddress string
}

type tracer struct {
	inv      *inventory.Inventory
	entries  []entry
	invokes  map[string]*flow.Flow
	access   map[string][]*flow.Flow
	fnByARN  map[string]*inventory.Function
	compiled map[int]compiledFilter
	// sets are the members of the resource sets aggregated flows cover,
	// resolved on first use.
	sets    map[string]map[string]bool
	setDefs map[string]*flow.ResourceSet
	// rejected holds buckets whose notification configuration S3 refuses.
	rejected map[string]bool
	// listeners are the inventory's ALB listeners with their rules, read
	// on first use.
	listeners *[]albListener
	opt       Options
}

type compiledFilter struct {
	pattern *eventmatch.Pattern
	policy  *eventmatch.FilterPolicy
	esm     *eventmatch.FilterCriteria
	iot     *eventmatch.IoTRule
	route   *eventmatch.Route
	logs    *eventmatch.LogPattern
	err     error
}

// RunBatch traces each record of a batch, one after the other: a
// delivery carries them together, but each is routed and filtered on its
// own.
func RunBatch(inv *inventory.Inventory, res *flow.Result, b Batch, opt Options) *Trace {
	if opt.Depth < 1 {
		opt.Depth = 1
	}
	t := newTracer(inv, res, opt)
	tr := &Trace{Findings: t.findings()}
	for i, ev := range b.Events {
		triggers, other := t.route(ev, nil, 1)
		if i == 0 {
			tr.Event, tr.Triggers, tr.OtherTriggers = ev, triggers, other
		}
		if b.Total > 1 {
			tr.Records = append(tr.Records, RecordTrace{Index: i, Event: ev, Triggers: triggers, OtherTriggers: other})
		}
	}
	if b.Total > 1 {
		tr.RecordsTotal = b.Total
	}
	return tr
}

func newTracer(inv *inventory.Inventory, res *flow.Result, opt Options) *tracer {
	t := &tracer{inv: inv, invokes: map[string]*flow.Flow{}, access: map[string][]*flow.Flow{},
		fnByARN: map[string]*inventory.Function{}, compiled: map[int]compiledFilter{}, rejected: map[string]bool{}, opt: opt,
		sets: map[string]map[string]bool{}, setDefs: map[string]*flow.ResourceSet{}}
	for i := range res.ResourceSets {
		t.setDefs[res.ResourceSets[i].ID] = &res.ResourceSets[i]
	}
	for i := range inv.Functions {
		fn := &inv.Functions[i]
		t.fnByARN[fn.ARN] = fn
	}
	for _, tg := range inv.Triggers {
		if tg.FunctionARN == "" {
			continue
		}
		// A function URL is traced from the function's URL configuration,
		// as its invoke flow is simulated.
		if fn := t.fnByARN[tg.FunctionARN]; tg.Service == "function_url" && fn != nil && len(fn.URLs) > 0 {
			continue
		}
		addr := tg.FunctionAddress
		if fn := t.fnByARN[tg.FunctionARN]; fn != nil && addr == "" {
			addr = fn.Address
		}
		t.entries = append(t.entries, entry{Trigger: tg, fnAddress: addr})
	}
	for _, fn := range inv.Functions {
		for _, u := range fn.URLs {
			t.entries = append(t.entries, entry{Trigger: inventory.Trigger{Origin: u.Origin, Kind: "push", Service: "function_url",
				SourceARN: u.URL, FunctionARN: fn.ARN, Qualifier: u.Qualifier, Enabled: true, Authorization: u.AuthType}, fnAddress: fn.Address})
		}
	}
	for i := range res.Flows {
		f := &res.Flows[i]
		switch f.Kind {
		case flow.KindInvoke:
			if f.Trigger != nil {
				k := invokeKey(f.Trigger.Address, f.Trigger.Function.ARN, f.Trigger.Source.ARN, f.Trigger.Function.Qualifier, f.Trigger.Events)
				if _, dup := t.invokes[k]; !dup {
					t.invokes[k] = f
				}
			}
		case flow.KindAccess:
			if f.Function != nil && f.Resource != nil {
				t.access[f.Function.ARN] = append(t.access[f.Function.ARN], f)
			}
		}
	}
	return t
}

func invokeKey(addr, fn, src, qual string, events []string) string {
	return strings.Join([]string{addr, fn, src, qual, strings.Join(events, ",")}, "\x00")
}

// kinds maps an event kind to the trigger types that can deliver it.
var kinds = map[string][]string{
	"s3": {"s3"}, "sns": {"sns"}, "sqs": {"sqs"}, "kinesis": {"kinesis"}, "dynamodb": {"dynamodb"},
	"eventbridge": {"eventbridge", "schedule"}, "scheduler": {"scheduler"},
	"apigateway": {"apigateway", "apigatewayv2"}, "function_url": {"function_url"},
	"alb": {"alb"}, "iot": {"iot"}, "logs": {"logs"},
}

// route decides every trigger of the event's kind; path holds the
// functions already on the chain.
func (t *tracer) route(ev Event, path []string, depth int) ([]TriggerTrace, int) {
	var out []TriggerTrace
	other := 0
	for i, e := range t.entries {
		if !contains(kinds[ev.Kind], e.Service) {
			other++
			continue
		}
		tt := TriggerTrace{Trigger: e.Address, Type: e.Service, Source: e.SourceARN, Function: e.fnAddress,
			Qualifier: e.Qualifier, File: e.File, Line: e.Line, Filter: describeFilter(e.Trigger), entry: i}
		if e.Service == "alb" && tt.Filter == "" {
			tt.Filter = t.albFilter(e.SourceARN)
		}
		var sameSource bool
		tt.Match, sameSource = t.match(i, e, ev)
		tt.OtherSource = !sameSource
		if tt.Match.Verdict != eventmatch.NoMatch && !e.Enabled {
			tt.Match = eventmatch.Result{Verdict: eventmatch.NoMatch, Field: "enabled", Reason: "the trigger is disabled"}
			if unresolved(e.Trigger, "enabled") {
				tt.Match = eventmatch.Result{Verdict: eventmatch.Unknown, Field: "enabled", Reason: "whether the trigger is enabled is not resolved in the configuration"}
			}
		}
		if tt.Match.Verdict != eventmatch.NoMatch && e.Service == "s3" && t.rejected[e.SourceARN] {
			tt.Match = eventmatch.Result{Verdict: eventmatch.NoMatch, Field: "configuration",
				Reason: "the filter passes, but S3 rejects this bucket's notification configuration (configurations overlap, see the findings), so nothing is delivered"}
		}
		out = append(out, tt)
	}
	t.pickRoutes(out)
	for i := range out {
		tt := &out[i]
		if tt.Match.Verdict == eventmatch.NoMatch {
			continue
		}
		t.follow(tt, t.entries[tt.entry], ev, path, depth)
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := verdictRank(out[i].Match.Verdict), verdictRank(out[j].Match.Verdict)
		if ri != rj {
			return ri < rj
		}
		if out[i].Trigger != out[j].Trigger {
			return out[i].Trigger < out[j].Trigger
		}
		return out[i].Source < out[j].Source
	})
	return out, other
}

// unresolved: the configuration left the trigger's field unknown.
func unresolved(t inventory.Trigger, field string) bool {
	for _, u := range t.Unknown {
		if u.Field == field {
			return true
		}
	}
	return false
}

func verdictRank(v eventmatch.Verdict) int {
	switch v {
	case eventmatch.Match:
		return 0
	case eventmatch.Unknown:
		return 1
	}
	return 2
}

// follow adds the invoke decision, the function's reach and the chained
// hops of a delivered (or possibly delivered) event.
func (t *tracer) follow(tt *TriggerTrace, e entry, ev Event, path []string, depth int) {
	if f := t.invokes[invokeKey(e.Address, e.FunctionARN, e.SourceARN, e.Qualifier, e.Events)]; f != nil {
		tt.Invoke = &Invoke{Flow: f.ID, Decision: f.Decision, Steps: f.Steps}
	}
	if tt.Invoke != nil && tt.Invoke.Decision == flow.Denied {
		return
	}
	if contains(path, e.FunctionARN) {
		// A loop: the function is already on the chain; its reach is
		// listed where it first appears.
		return
	}
	path = append(append([]string(nil), path...), e.FunctionARN)
	seen := map[string]int{}
	for _, acc := range t.access[e.FunctionARN] {
		if acc.Decision == flow.Denied {
			continue
		}
		r := Reach{Flow: acc.ID, Resource: firstNonEmpty(acc.Resource.Address, acc.Resource.ARN), ARN: acc.Resource.ARN,
			Pattern: acc.Outside, Level: acc.Level, Actions: acc.Actions, Decision: acc.Decision}
		if acc.Covers != nil {
			r.Pattern, r.Covers, r.CoverType = true, acc.Covers.Count, acc.Covers.Type
		}
		if ev.Source != "" && actsOn(acc.Actions, ev.Kind) && t.reaches(acc, ev.Kind, ev.Source) {
			r.Marks = append(r.Marks, "event source")
		}
		if named(ev.Text, acc.Resource) {
			r.Marks = append(r.Marks, "named in event")
		}
		if acc.Purpose != "" {
			r.Marks = append(r.Marks, acc.Purpose)
		}
		hops := t.hops(acc, path, depth)
		if len(hops) > 0 {
			r.Marks = append(r.Marks, "triggers next")
			tt.Next = append(tt.Next, hops...)
		}
		// One resource reached with the same actions for two purposes
		// (ordinary reach and dead-letter delivery) is one line.
		key := r.ARN + "\x00" + r.Level + "\x00" + strings.Join(r.Actions, ",")
		if j, dup := seen[key]; dup {
			for _, m := range r.Marks {
				if !contains(tt.Reach[j].Marks, m) {
					tt.Reach[j].Marks = append(tt.Reach[j].Marks, m)
				}
			}
			continue
		}
		seen[key] = len(tt.Reach)
		tt.Reach = append(tt.Reach, r)
	}
	sort.SliceStable(tt.Reach, func(i, j int) bool {
		mi, mj := len(tt.Reach[i].Marks) > 0, len(tt.Reach[j].Marks) > 0
		if mi != mj {
			return mi
		}
		return tt.Reach[i].Flow < tt.Reach[j].Flow
	})
}

// serviceOf is the IAM service prefix of an event kind's source.
var serviceOf = map[string]string{"s3": "s3:", "sns": "sns:", "sqs": "sqs:", "kinesis": "kinesis:",
	"dynamodb": "dynamodb:", "eventbridge": "events:", "logs": "logs:", "iot": "iot:"}

// actsOn: some action is of the event source's service.
func actsOn(actions []string, kind string) bool {
	p := serviceOf[kind]
	if p == "" {
		return false
	}
	for _, a := range actions {
		if strings.HasPrefix(a, p) {
			return true
		}
	}
	return false
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// named: the event's text names the resource (its name or ARN).
func named(text string, r *flow.Ref) bool {
	if text == "" || r == nil || strings.ContainsAny(r.ARN, "*?<") {
		return false
	}
	if r.ARN != "" && strings.Contains(text, r.ARN) {
		return true
	}
	name := r.ARN
	if i := strings.LastIndexAny(name, ":/"); i >= 0 {
		name = name[i+1:]
	}
	return len(name) >= 4 && strings.Contains(text, name)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// describeFilter prints a trigger's routing configuration for the trace.
func describeFilter(t inventory.Trigger) string {
	var parts []string
	if len(t.Events) > 0 && t.Service == "s3" {
		parts = append(parts, strings.Join(t.Events, ","))
	}
	if f := t.Filter; f != nil {
		if f.Prefix != "" {
			parts = append(parts, "prefix "+f.Prefix)
		}
		if f.Suffix != "" {
			parts = append(parts, "suffix "+f.Suffix)
		}
		if len(f.Pattern) > 0 {
			s := compact(string(f.Pattern))
			if f.Scope != "" {
				s = f.Scope + " " + s
			}
			parts = append(parts, s)
		}
		for _, p := range f.Patterns {
			parts = append(parts, compact(string(p)))
		}
		if f.Expression != "" {
			parts = append(parts, f.Expression)
		}
	}
	return strings.Join(parts, "; ")
}

func compact(s string) string {
	var b strings.Builder
	inStr, esc := false, false
	for _, c := range s {
		switch {
		case esc:
			esc = false
		case c == '\\' && inStr:
			esc = true
		case c == '"':
			inStr = !inStr
		case !inStr && (c == ' ' || c == '\n' || c == '\t' || c == '\r'):
			continue
		}
		b.WriteRune(c)
	}
	out := b.String()
	if len(out) > 200 {
		out = out[:197] + "..."
	}
	return out
}

// reaches: an access flow touches the source of an event of this kind. An
// aggregated flow reaches exactly the members of its set (its pattern may
// match resources some other statement singled out).
func (t *tracer) reaches(acc *flow.Flow, kind, source string) bool {
	if acc.Covers == nil || acc.Covers.Set == "" {
		return covers(kind, acc.Resource.ARN, source)
	}
	member := source
	switch kind {
	case "s3":
		member = bucketOf(source)
	case "dynamodb":
		member = tableOf(source)
	}
	return t.members(acc.Covers.Set, 0)[member]
}

// members resolves a resource set: its resources, or its base less its
// exceptions.
func (t *tracer) members(id string, depth int) map[string]bool {
	if m, ok := t.sets[id]; ok {
		return m
	}
	m := map[string]bool{}
	if def := t.setDefs[id]; def != nil && depth < 16 {
		for _, r := range def.Resources {
			m[r] = true
		}
		if def.Base != "" {
			for r := range t.members(def.Base, depth+1) {
				m[r] = true
			}
			for _, r := range def.Except {
				delete(m, r)
			}
		}
	}
	t.sets[id] = m
	return m
}

// covers: an access resource (ARN or pattern) reaches the source of an
// event of this kind.
func covers(kind, res, source string) bool {
	if res == "" || source == "" {
		return false
	}
	switch kind {
	case "s3":
		bucketPart := res
		if rest, ok := strings.CutPrefix(res, "arn:aws:s3:::"); ok {
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				bucketPart = "arn:aws:s3:::" + rest[:i]
			}
		}
		return res == "*" || pattern.Match(bucketPart, bucketOf(source))
	case "dynamodb":
		return pattern.Match(tableOf(res), tableOf(source))
	case "eventbridge":
		return pattern.Match(res, source)
	}
	return pattern.Match(res, source)
}

func tableOf(arn string) string {
	if i := strings.Index(arn, "/stream/"); i >= 0 {
		return arn[:i]
	}
	return arn
}

// busOfRule is the bus ARN of a rule ARN (rule/NAME on the default bus,
// rule/BUS/NAME otherwise).
func busOfRule(rule string) (arn, name string) {
	i := strings.Index(rule, ":rule/")
	if i < 0 {
		return "", ""
	}
	rest := rule[i+len(":rule/"):]
	name = "default"
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		name = rest[:j]
	}
	return rule[:i] + ":event-bus/" + name, name
}
