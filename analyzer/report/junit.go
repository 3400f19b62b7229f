package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// FindingsJUnit writes a JUnit XML report for test dashboards: one suite
// per rule, one test case per finding. Findings at or above the threshold
// are failures, those below it pass with the message in system-out (so the
// dashboard agrees with the exit code), waived ones are skipped, and a rule
// with no finding is one passing case.
func FindingsJUnit(w io.Writer, r *Findings) error {
	byRule := map[string][]rules.Finding{}
	for _, f := range r.Findings {
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	all := r.Rules
	known := map[string]bool{}
	for _, rule := range all {
		known[rule.ID] = true
	}
	for _, f := range r.Findings {
		if !known[f.Rule] {
			known[f.Rule] = true
			all = append(all, rules.Rule{ID: f.Rule, ShortCode: f.ShortCode, Title: f.Title, Severity: f.Severity})
		}
	}
	out := junitSuites{Name: "lambdacheck"}
	for _, rule := range all {
		// Custom rules come from the repository too.
		rule.ID, rule.ShortCode, rule.Title = clean.Line(rule.ID), clean.Line(rule.ShortCode), clean.Line(rule.Title)
		s := junitSuite{Name: fmt.Sprintf("%s %s: %s", rule.ID, rule.ShortCode, rule.Title)}
		class := rule.ID + "." + rule.ShortCode
		fs := byRule[rule.ID]
		if len(fs) == 0 {
			s.Cases = append(s.Cases, junitCase{Name: "no findings", Classname: class})
		}
		for _, f := range fs {
			c := junitCase{Classname: class, File: clean.Line(r.Path(f)), Line: f.Line, Name: f.Address}
			if c.Name == "" {
				c.Name = f.Message
			}
			if where := r.Where(f); where != "" {
				c.Name += " (" + where + ")"
			}
			c.Name = clean.Line(c.Name)
			switch {
			case f.Suppressed != nil:
				msg := f.Suppressed.Kind
				if f.Suppressed.Reason != "" {
					msg += ": " + f.Suppressed.Reason
				}
				c.Skipped = &junitSkipped{Message: clean.Line(msg)}
				s.Skipped++
			case r.Threshold.Fails(f.Severity):
				c.Failure = &junitFailure{Message: clean.Line(f.Message), Type: string(f.Severity), Text: clean.Text(junitDetail(r, f))}
				s.Failures++
			default:
				c.SystemOut = clean.Line(fmt.Sprintf("%s (%s, below --fail-on %s)", f.Message, f.Severity, r.Threshold))
			}
			s.Cases = append(s.Cases, c)
		}
		s.Tests = len(s.Cases)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Skipped += s.Skipped
		out.Suites = append(out.Suites, s)
	}
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

func junitDetail(r *Findings, f rules.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s)\n%s\n", f.Rule, f.Title, f.Severity, f.Message)
	if where := r.Where(f); where != "" {
		fmt.Fprintf(&b, "at: %s\n", where)
	}
	if f.Address != "" {
		fmt.Fprintf(&b, "address: %s\n", f.Address)
	}
	for _, fl := range f.Flows {
		fmt.Fprintf(&b, "flow: %s\n", fl)
	}
	if f.Remediation != "" {
		fmt.Fprintf(&b, "remediation: %s\n", f.Remediation)
	}
	return b.String()
}
