package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// rulesTable lists the rules with where each comes from.
func rulesTable(w io.Writer, r *Report) error {
	rows := make([][]string, 0, len(r.Rules))
	for _, rule := range r.Rules {
		origin := "built-in"
		if !rule.Builtin {
			origin = rule.File
		}
		rows = append(rows, []string{rule.ID, string(rule.Severity), rule.ShortCode, rule.Title, origin})
	}
	fmt.Fprintf(w, "Rules (%d)\n", len(rows))
	return Table(w, []string{"ID", "SEVERITY", "SHORT CODE", "TITLE", "FROM"}, rows)
}

func rulesJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.Rules)
}

// rulesMarkdown is the README's rule table: id, severity, short code and
// what the rule finds (its title and the first sentence of its description).
func rulesMarkdown(w io.Writer, r *Report) error {
	list := r.Rules
	var b strings.Builder
	b.WriteString("| ID | Severity | Short code | What it finds |\n|---|---|---|---|\n")
	for _, rule := range list {
		what := rule.Title
		if s := firstSentence(rule.Description); s != "" {
			what = "**" + rule.Title + "** — " + s
		}
		// Custom rules' metadata is input: no control characters.
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s |\n", clean.Line(rule.ID), clean.Line(string(rule.Severity)), clean.Line(rule.ShortCode), strings.ReplaceAll(clean.Line(what), "|", `\|`))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// firstSentence is the text up to the first ". " (or all of it), on one line.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// ruleTestsJSON lists every Rego test result.
func ruleTestsJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	res := r.RuleTests
	if res == nil {
		res = []rules.TestResult{}
	}
	return enc.Encode(res)
}

// ruleTestsTable lists failures (and with Verbose passes and skips), then
// the counts.
func ruleTestsTable(w io.Writer, r *Report) error {
	failed := 0
	for _, t := range r.RuleTests {
		switch {
		case t.Skip:
			if r.Verbose {
				fmt.Fprintf(w, "SKIP  %s.%s\n", clean.Line(t.Package), clean.Line(t.Name))
			}
		case t.Pass:
			if r.Verbose {
				fmt.Fprintf(w, "PASS  %s.%s (%s)\n", clean.Line(t.Package), clean.Line(t.Name), t.Duration.Round(time.Microsecond))
			}
		default:
			failed++
			fmt.Fprintf(w, "FAIL  %s.%s  %s:%d: %s\n", clean.Line(t.Package), clean.Line(t.Name), clean.Line(t.File), t.Line, clean.Line(t.Error))
			if t.Output != "" {
				fmt.Fprintf(w, "      output: %s\n", clean.Text(strings.TrimSpace(t.Output)))
			}
		}
	}
	_, err := fmt.Fprintf(w, "%d passed, %d failed\n", len(r.RuleTests)-failed, failed)
	return err
}
