package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/diff"
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
)

// diffFunctionLabel names a group of flow changes; chains belong to no
// single function.
func diffFunctionLabel(fn string) string {
	if fn == "" {
		return "(chains)"
	}
	return fn
}

// gateMark names the gate classes a change falls under that the gate
// refuses, after "!" so that it stands out in the table and the Markdown.
func gateMark(classes, gate []diff.Class) string {
	var hit []string
	for _, c := range classes {
		if slices.Contains(gate, c) {
			hit = append(hit, string(c))
		}
	}
	if len(hit) == 0 {
		return ""
	}
	return "! " + strings.Join(hit, ",")
}

// diffTable writes the flow changes grouped by function, the new and fixed
// findings, and the verdict.
func diffTable(w io.Writer, r *Report) error {
	d := r.Diff
	if len(d.Flows) > 0 {
		fmt.Fprintln(w, "Flows")
		var rows [][]string
		for _, c := range d.Flows {
			rows = append(rows, []string{diffFunctionLabel(c.Function), string(c.Change), c.Access, c.ID, c.What, gateMark(c.Classes, r.Gate)})
		}
		if err := Table(w, []string{"Function", "Change", "Access", "Flow", "What", "Gate"}, rows); err != nil {
			return err
		}
	}
	for _, part := range []struct {
		title string
		list  []diff.FindingChange
	}{{"New findings", d.New}, {"Fixed findings", d.Fixed}} {
		if len(part.list) == 0 {
			continue
		}
		fmt.Fprintln(w, part.title)
		var rows [][]string
		for _, f := range part.list {
			rows = append(rows, []string{f.Finding.Rule + " " + f.Finding.ShortCode, string(f.Finding.Severity), f.Finding.Address, f.Finding.Message, gateMark(f.Classes, r.Gate)})
		}
		if err := Table(w, []string{"Rule", "Severity", "Address", "Message", "Gate"}, rows); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, "Verdict:", d.Verdict())
	return err
}

// diffJSON writes the comparison with its verdict and the gate's refusals.
func diffJSON(w io.Writer, r *Report) error {
	type violation struct {
		Class diff.Class `json:"class"`
		What  string     `json:"what"`
	}
	out := struct {
		*diff.Result
		Verdict    string      `json:"verdict"`
		Violations []violation `json:"violations"`
	}{Result: r.Diff, Verdict: r.Diff.Verdict(), Violations: []violation{}}
	for _, v := range r.Diff.Violations(r.Gate) {
		out.Violations = append(out.Violations, violation{v.Class, v.What})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// diffMarkdown writes a pull-request comment: the verdict first, then one
// collapsible section per function and for the findings.
func diffMarkdown(w io.Writer, r *Report) error {
	d := r.Diff
	var b strings.Builder
	b.WriteString("### lambdacheck diff\n\n")
	b.WriteString(mdCell(d.Verdict()) + "\n")
	if v := d.Violations(r.Gate); len(v) > 0 {
		fmt.Fprintf(&b, "\n**Gate: %d change(s) refused** (--fail-on-new %s)\n", len(v), mdCell(joinClasses(r.Gate)))
	}
	for i := 0; i < len(d.Flows); {
		fn := d.Flows[i].Function
		j := i
		for j < len(d.Flows) && d.Flows[j].Function == fn {
			j++
		}
		fmt.Fprintf(&b, "\n<details><summary>%s: %d flow change(s)</summary>\n\n", mdCell(diffFunctionLabel(fn)), j-i)
		b.WriteString("| Change | Access | Flow | What | Gate |\n|---|---|---|---|---|\n")
		for _, c := range d.Flows[i:j] {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", c.Change, mdCell(c.Access), mdCell(c.ID), mdCell(c.What), gateMark(c.Classes, r.Gate))
		}
		b.WriteString("\n</details>\n")
		i = j
	}
	for _, part := range []struct {
		title string
		list  []diff.FindingChange
	}{{"New findings", d.New}, {"Fixed findings", d.Fixed}} {
		if len(part.list) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n<details><summary>%s: %d</summary>\n\n", part.title, len(part.list))
		b.WriteString("| Rule | Severity | Address | Message | Gate |\n|---|---|---|---|---|\n")
		for _, f := range part.list {
			fmt.Fprintf(&b, "| %s %s | %s | %s | %s | %s |\n", mdCell(f.Finding.Rule), mdCell(f.Finding.ShortCode), f.Finding.Severity, mdCell(f.Finding.Address), mdCell(f.Finding.Message), gateMark(f.Classes, r.Gate))
		}
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func joinClasses(cs []diff.Class) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = clean.Line(string(c))
	}
	return strings.Join(s, ",")
}
