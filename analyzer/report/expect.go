package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/expect"
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
)

// expectWant is the expectation in one line.
func expectWant(e expect.Expectation) string {
	switch e.Kind {
	case expect.KindFlow:
		return fmt.Sprintf("%s -> %s %s", e.Source, e.Function, e.Result)
	case expect.KindAccess:
		return fmt.Sprintf("%s %s on %s %s", e.Function, e.Action, e.Resource, e.Result)
	}
	if e.Kind == expect.KindCount {
		what := string(e.Count) + " flows"
		if e.Result != "" {
			what = string(e.Result) + " " + what
		}
		if e.Function != "" {
			what += " of " + e.Function
		}
		switch {
		case e.Min >= 0 && e.Max >= 0:
			return fmt.Sprintf("%d to %d %s", e.Min, e.Max, what)
		case e.Min >= 0:
			return fmt.Sprintf("at least %d %s", e.Min, what)
		}
		return fmt.Sprintf("at most %d %s", e.Max, what)
	}
	target := "any function"
	if e.Function != "" {
		target = e.Function
	}
	who := e.Principal
	if who == "*" {
		who = "the public"
	}
	return fmt.Sprintf("%s invoking %s %s", who, target, e.Result)
}

// expectWhy is what decided an outcome.
func expectWhy(o expect.Outcome) string {
	if len(o.Deciding) > 0 {
		return strings.Join(o.Deciding, "; ")
	}
	return o.Detail
}

func expectGot(o expect.Outcome) string {
	if o.Expectation.Kind == expect.KindCount {
		return fmt.Sprint(o.Count)
	}
	if o.Got == "" {
		return "-"
	}
	return string(o.Got)
}

// expectTable writes one row per expectation; the deciding statements
// are shown for failures.
func expectTable(w io.Writer, r *Report) error {
	var rows [][]string
	failed := 0
	for _, o := range r.Outcomes {
		status, why := "pass", ""
		if !o.Pass {
			status, why = "FAIL", expectWhy(o)
			failed++
		}
		rows = append(rows, []string{status, o.Expectation.Name, expectWant(o.Expectation), expectGot(o), why})
	}
	if err := Table(w, []string{"Result", "Expectation", "Expected", "Got", "Decided by"}, rows); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d expectation(s), %d passed, %d failed\n", len(r.Outcomes), len(r.Outcomes)-failed, failed)
	return err
}

// expectJUnit writes one test case per expectation.
func expectJUnit(w io.Writer, r *Report) error {
	s := junitSuite{Name: "lambdacheck expectations"}
	for _, o := range r.Outcomes {
		e := o.Expectation
		c := junitCase{Name: clean.Line(e.Name), Classname: "expect." + string(e.Kind), File: clean.Line(e.Range.Filename), Line: e.Range.Start.Line}
		if !o.Pass {
			c.Failure = &junitFailure{Message: clean.Line("expected " + expectWant(e) + ", got " + expectGot(o)), Type: string(e.Kind), Text: clean.Text(expectWhy(o))}
			s.Failures++
		}
		s.Cases = append(s.Cases, c)
	}
	s.Tests = len(s.Cases)
	out := junitSuites{Name: "lambdacheck", Tests: s.Tests, Failures: s.Failures, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write JUnit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
