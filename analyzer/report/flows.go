package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// writeFlowsJSON writes the contract of docs/flows.md: {"schema", "flows",
// "findings", "unknowns", "resource_sets", "facts"}, indented as json.MarshalIndent would. It streams one record
// at a time: on a 1,000-function estate the document is tens of megabytes,
// and building it whole (then indenting a copy) cost more than simulating.
// The caller flushes bw.
func writeFlowsJSON(bw *bufio.Writer, res *flow.Result, findings []rules.Finding) error {
	if findings == nil {
		findings = []rules.Finding{}
	}
	a := arrayWriter{w: bw}
	a.enc = json.NewEncoder(&a.buf)
	a.enc.SetIndent("    ", "  ")
	a.enc.SetEscapeHTML(false)
	fmt.Fprintf(bw, "{\n  \"schema\": %d,\n  \"flows\": ", res.Schema)
	writeArray(&a, res.Flows)
	bw.WriteString(",\n  \"findings\": ")
	writeArray(&a, findings)
	bw.WriteString(",\n  \"unknowns\": ")
	writeArray(&a, res.Unknowns)
	if len(res.ResourceSets) > 0 {
		bw.WriteString(",\n  \"resource_sets\": ")
		writeArray(&a, res.ResourceSets)
	}
	if res.Facts != nil {
		bw.WriteString(",\n  \"facts\": ")
		b, err := json.MarshalIndent(res.Facts, "  ", "  ")
		if err != nil && a.err == nil {
			a.err = err
		}
		bw.Write(b)
	}
	bw.WriteString("\n}\n")
	return a.err
}

type arrayWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

// writeArray writes items as the members of a top-level object's array.
func writeArray[T any](a *arrayWriter, items []T) {
	if items == nil {
		a.w.WriteString("null")
		return
	}
	if len(items) == 0 {
		a.w.WriteString("[]")
		return
	}
	a.w.WriteString("[\n")
	for i := range items {
		a.buf.Reset()
		if err := a.enc.Encode(&items[i]); err != nil && a.err == nil {
			a.err = err
		}
		a.w.WriteString("    ")
		a.w.Write(bytes.TrimSuffix(a.buf.Bytes(), []byte("\n")))
		if i < len(items)-1 {
			a.w.WriteString(",")
		}
		a.w.WriteString("\n")
	}
	a.w.WriteString("  ]")
}

func writeFlowTables(w io.Writer, res *flow.Result) error {
	var inv, acc, reach, chains [][]string
	for _, f := range res.Flows {
		switch f.Kind {
		case flow.KindInvoke:
			t := f.Trigger
			inv = append(inv, []string{
				t.Type + " " + nonEmptyStr(t.Source.Address, t.Source.ARN),
				t.Function.Address + qualifierSuffix(t.Function.Qualifier),
				yesNo(t.Enabled), string(f.Decision), flowWhy(f),
			})
		case flow.KindAccess:
			res := nonEmptyStr(f.Resource.Address, f.Resource.ARN)
			if f.Resource.Address != "" && f.Resource.ARN != "" && !strings.HasSuffix(f.Resource.ARN, "/"+f.Resource.Address) && strings.Contains(f.Resource.ARN, "/") && f.Purpose == "" {
				res = f.Resource.ARN
			}
			if f.Outside {
				res += " (outside)"
			}
			if f.Purpose != "" {
				res += " [" + f.Purpose + "]"
			}
			acc = append(acc, []string{f.Function.Address, res, f.Level, summarizeActions(f.Actions), string(f.Decision), grantingStatement(f)})
		case flow.KindReach:
			reach = append(reach, []string{f.Target.Address, f.Reach, f.Principal, strings.Join(f.Actions, ", "), string(f.Decision), flowWhy(f)})
		case flow.KindChain:
			loop := ""
			if f.Loop {
				loop = "loop"
			}
			chains = append(chains, []string{f.Title, loop, string(f.Decision)})
		}
	}
	sections := []struct {
		title  string
		header []string
		rows   [][]string
	}{
		{"Invocation flows", []string{"SOURCE", "FUNCTION", "ENABLED", "INVOKE", "WHY"}, inv},
		{"Function reach", []string{"FUNCTION", "RESOURCE", "LEVEL", "ACTIONS", "DECISION", "GRANTED BY"}, acc},
		{"Reach from outside", []string{"TARGET", "REACH", "WHO", "ACTIONS", "DECISION", "WHY"}, reach},
		{"Chains and loops", []string{"PATH", "LOOP", "DECISION"}, chains},
	}
	for i, s := range sections {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s (%d)\n", s.title, len(s.rows))
		if len(s.rows) == 0 {
			continue
		}
		if err := Table(w, s.header, s.rows); err != nil {
			return err
		}
	}
	if len(res.Unknowns) > 0 {
		fmt.Fprintf(w, "\nUnresolved values (%d)\n", len(res.Unknowns))
		var rows [][]string
		for _, u := range res.Unknowns {
			loc := ""
			if u.File != "" {
				loc = fmt.Sprintf("%s:%d", u.File, u.Line)
			}
			rows = append(rows, []string{u.Address, u.Field, u.Reason, loc})
		}
		return Table(w, []string{"ADDRESS", "FIELD", "REASON", "WHERE"}, rows)
	}
	return nil
}

// flowWhy is the reason of the step that decided the flow: the first step
// with the flow's decision.
func flowWhy(f flow.Flow) string {
	for _, s := range f.Steps {
		if s.Decision == f.Decision && (f.Decision != flow.Allowed || len(s.Statements) > 0) {
			why := s.Reason
			if f.Decision != flow.Allowed && s.Action != "" {
				why = s.What + ": " + why
			}
			for _, st := range s.Statements {
				if st.Condition != "" {
					why += " (if " + st.Condition + ")"
				}
			}
			if len(s.Statements) > 0 && f.Decision == flow.Allowed {
				why = statementLabel(s.Statements[0])
				for _, st := range s.Statements {
					if st.Layer == "resource" {
						why = statementLabel(st)
						break
					}
				}
			}
			return why
		}
	}
	if len(f.Steps) > 0 {
		return f.Steps[len(f.Steps)-1].Reason
	}
	return ""
}

func grantingStatement(f flow.Flow) string {
	for _, s := range f.Steps {
		for _, st := range s.Statements {
			if st.Effect == "Allow" && st.Layer != "boundary" && st.Layer != "scp" {
				label := statementLabel(st)
				if !st.Certain && st.Condition != "" {
					label += " if " + st.Condition
				}
				return label
			}
		}
		if s.Decision != flow.Allowed {
			return s.Reason
		}
	}
	return ""
}

func statementLabel(st flow.Statement) string {
	label := fmt.Sprintf("%s #%d", st.Policy, st.Index)
	if st.Sid != "" {
		label = fmt.Sprintf("%s %s", st.Policy, st.Sid)
	}
	if st.File != "" {
		label += fmt.Sprintf(" (%s:%d)", st.File, st.Line)
	}
	return label
}

func summarizeActions(actions []string) string {
	const max = 4
	if len(actions) <= max {
		return strings.Join(actions, ", ")
	}
	return fmt.Sprintf("%s … (+%d)", strings.Join(actions[:max], ", "), len(actions)-max)
}

func qualifierSuffix(q string) string {
	if q == "" {
		return ""
	}
	return ":" + q
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func nonEmptyStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
