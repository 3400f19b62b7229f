package eventtrace

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lambdacheck/lambdacheck/simulator/eventmatch"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// SchemaVersion is the version of the trace's JSON form.
const SchemaVersion = 1

// WriteJSON writes the trace as one JSON document.
func WriteJSON(w io.Writer, t *Trace) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Schema int `json:"schema"`
		*Trace
	}{SchemaVersion, t})
}

// WriteTree writes the trace as an indented explanation. Names, values
// and patterns come from the input: sanitize (nil for none) is applied to
// every line, so that the caller's terminal rules hold.
func WriteTree(w io.Writer, t *Trace, sanitize func(string) string) error {
	p := &printer{w: w, sanitize: sanitize}
	if len(t.Records) == 0 {
		p.line(0, "Event: %s", t.Event.Summary)
		p.triggers(0, t.Triggers, t.OtherTriggers)
	} else {
		p.line(0, "Event: %d records, %d traced", t.RecordsTotal, len(t.Records))
		if len(t.Records) < t.RecordsTotal {
			p.line(1, "(at most %d records of one document are traced: records %d to %d are not)", MaxRecords, len(t.Records), t.RecordsTotal-1)
		}
		for _, r := range t.Records {
			p.line(0, "Record %d: %s", r.Index, r.Event.Summary)
			p.triggers(1, r.Triggers, r.OtherTriggers)
		}
	}
	if len(t.Findings) > 0 {
		p.line(0, "Configuration findings:")
		for _, f := range t.Findings {
			p.line(1, "%s %s%s: %s", f.Kind, f.Address, at(f.File, f.Line), f.Message)
		}
	}
	return p.err
}

// triggers prints one event's routing, indented by d.
func (p *printer) triggers(d int, triggers []TriggerTrace, otherTriggers int) {
	n := 0
	for _, tt := range triggers {
		if tt.Match.Verdict != eventmatch.NoMatch {
			n++
		}
	}
	others := fmt.Sprintf("%d triggers of other types never see it", otherTriggers)
	if otherTriggers == 1 {
		others = "1 trigger of another type never sees it"
	}
	p.line(d, "Triggers: %d of %d deliver it (%s)", n, len(triggers), others)
	// Beyond a few, triggers that listen to other resources are counted,
	// not listed: on a large application they would bury the answer.
	elsewhere := 0
	for _, tt := range triggers {
		if tt.OtherSource {
			elsewhere++
		}
	}
	if elsewhere <= maxListedElsewhere {
		elsewhere = 0
	}
	for _, tt := range triggers {
		if tt.OtherSource && elsewhere > 0 {
			continue
		}
		p.trigger(d+1, tt)
	}
	if elsewhere > 0 {
		p.line(d+1, "NO    %d more listen to other sources (listed with --format json)", elsewhere)
	}
	if len(triggers) == 0 {
		p.line(d+1, "no trigger of this type targets a function")
	}
}

// maxListedElsewhere is how many triggers listening to other resources
// the tree lists one by one.
const maxListedElsewhere = 5

type printer struct {
	w        io.Writer
	sanitize func(string) string
	err      error
}

func (p *printer) line(depth int, format string, args ...any) {
	if p.err != nil {
		return
	}
	text := fmt.Sprintf(format, args...)
	if p.sanitize != nil {
		text = p.sanitize(text)
	}
	_, p.err = fmt.Fprintf(p.w, "%s%s\n", strings.Repeat("  ", depth), text)
}

func at(file string, line int) string {
	if file == "" {
		return ""
	}
	return fmt.Sprintf(" (%s:%d)", file, line)
}

func mark(v eventmatch.Verdict) string {
	switch v {
	case eventmatch.Match:
		return "MATCH"
	case eventmatch.Unknown:
		return "MAYBE"
	}
	return "NO"
}

func (p *printer) trigger(d int, tt TriggerTrace) {
	fn := tt.Function
	if tt.Qualifier != "" {
		fn += ":" + tt.Qualifier
	}
	p.line(d, "%-5s %s %s → %s%s", mark(tt.Match.Verdict), tt.Type, tt.Trigger, fn, at(tt.File, tt.Line))
	if tt.Filter != "" {
		p.line(d+3, "filter: %s", tt.Filter)
	}
	if tt.Match.Verdict != eventmatch.Match {
		p.line(d+3, "why: %s: %s", tt.Match.Field, tt.Match.Reason)
	} else if tt.Match.Reason != "" {
		// A match that is partial (some log events of a record) or
		// chosen among several (a listener rule) says so.
		p.line(d+3, "how: %s", tt.Match.Reason)
	}
	if tt.Invoke != nil {
		p.line(d+1, "invoke %s: %s", tt.Invoke.Flow, tt.Invoke.Decision)
		for _, s := range tt.Invoke.Steps {
			p.line(d+2, "%s: %s — %s", s.What, s.Decision, s.Reason)
			for _, st := range s.Statements {
				sid := st.Sid
				if sid == "" {
					sid = fmt.Sprintf("#%d", st.Index)
				}
				p.line(d+3, "%s %s/%s %s%s", st.Effect, st.Policy, sid, st.Layer, at(st.File, st.Line))
			}
		}
		if tt.Invoke.Decision == flow.Denied {
			p.line(d+1, "the invocation is denied: the function does not run, nothing follows")
		}
	} else if tt.Match.Verdict != eventmatch.NoMatch {
		p.line(d+1, "invoke: no simulated flow")
	}
	if len(tt.Reach) > 0 {
		p.line(d+1, "reach (%d):", len(tt.Reach))
		for _, r := range tt.Reach {
			m := ""
			if len(r.Marks) > 0 {
				m = "  [" + strings.Join(r.Marks, ", ") + "]"
			}
			res := r.Resource
			switch {
			case r.Covers > 0:
				res = fmt.Sprintf("%s (%d %s)", r.ARN, r.Covers, r.CoverType)
			case r.Pattern:
				res = r.ARN + " (pattern)"
			}
			p.line(d+2, "%s %s %s: %s%s", r.Decision, r.Level, res, strings.Join(r.Actions, ","), m)
		}
	}
	for _, h := range tt.Next {
		p.line(d+1, "→ %s via %s: %s", h.Action, h.Write, h.Event.Summary)
		if h.Stopped != "" {
			p.line(d+2, "(%s)", h.Stopped)
		}
		for _, n := range h.Triggers {
			p.trigger(d+2, n)
		}
	}
}
