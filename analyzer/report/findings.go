package report

import (
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// messageWidth is where long finding messages wrap in the table format.
const messageWidth = 72

// wrappedTable is Table with the last column word-wrapped at width, so long
// messages stay readable on a terminal.
func wrappedTable(w io.Writer, header []string, rows [][]string, width int) error {
	last := len(header) - 1
	// WithConfig replaces the whole configuration, so it goes first and
	// the options after it adjust it.
	t := tablewriter.NewTable(w,
		tablewriter.WithConfig(tablewriter.Config{Row: tw.CellConfig{ColMaxWidths: tw.CellWidth{PerColumn: tw.NewMapper[int, int]().Set(last, width)}}}),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
	)
	return fillTable(t, header, rows)
}

// Findings is a rules run ready to print in any format.
type Findings struct {
	Findings  []rules.Finding
	Rules     []rules.Rule
	Threshold rules.Threshold
	// PathPrefix is joined before each finding's file so that locations
	// are relative to the repository root (the Terraform directory as seen
	// from there), which is what code scanning and PR annotations need.
	PathPrefix string
	// Source names what was analysed, for titles.
	Source string
	// FallbackPath locates findings that have no file (live or snapshot
	// sources) in SARIF, which code scanning requires: the snapshot file,
	// relative to the repository root. Empty for none.
	FallbackPath string
	// ToolVersion is lambdacheck's version, for SARIF.
	ToolVersion string
	// Color enables ANSI severity colours in the table format.
	Color bool
	// Started and Finished bound the run, for reports that record when
	// the scan ran (GitLab SAST); zero means now.
	Started, Finished time.Time
}

// Path is the finding's file relative to the repository root, "" when
// the finding has no file.
func (r *Findings) Path(f rules.Finding) string {
	if f.File == "" {
		return ""
	}
	if r.PathPrefix == "" || r.PathPrefix == "." {
		return f.File
	}
	return path.Join(r.PathPrefix, f.File)
}

// Where is "path:line" for display.
func (r *Findings) Where(f rules.Finding) string {
	p := r.Path(f)
	if p == "" {
		return ""
	}
	if f.Line == 0 {
		return p
	}
	return fmt.Sprintf("%s:%d", p, f.Line)
}

// open are the findings not waived or baselined.
func (r *Findings) open() []rules.Finding {
	var out []rules.Finding
	for _, f := range r.Findings {
		if f.Suppressed == nil {
			out = append(out, f)
		}
	}
	return out
}

func (r *Findings) suppressed() []rules.Finding {
	var out []rules.Finding
	for _, f := range r.Findings {
		if f.Suppressed != nil {
			out = append(out, f)
		}
	}
	return out
}

// counts are open findings per severity.
func (r *Findings) counts() map[rules.Severity]int {
	c := map[rules.Severity]int{}
	for _, f := range r.open() {
		c[f.Severity]++
	}
	return c
}

// Summary is one line: counts by severity, waived count and the gate.
func (r *Findings) Summary() string {
	c := r.counts()
	parts := make([]string, 0, len(rules.Severities))
	for _, s := range rules.Severities {
		parts = append(parts, fmt.Sprintf("%d %s", c[s], s))
	}
	line := fmt.Sprintf("%d finding(s): %s", len(r.open()), strings.Join(parts, ", "))
	if n := len(r.suppressed()); n > 0 {
		line += fmt.Sprintf("; %d waived or baselined", n)
	}
	failing := len(rules.Failing(r.Findings, r.Threshold))
	switch {
	case r.Threshold.String() == "none":
		line += "; --fail-on none"
	case failing > 0:
		line += fmt.Sprintf("; FAIL: %d at or above %s", failing, r.Threshold)
	default:
		line += fmt.Sprintf("; pass: none at or above %s", r.Threshold)
	}
	return line
}

// severity colours (ANSI): critical bold red, high red, medium yellow, low cyan.
var sevColor = map[rules.Severity]string{
	rules.Critical: "\x1b[1;31m",
	rules.High:     "\x1b[31m",
	rules.Medium:   "\x1b[33m",
	rules.Low:      "\x1b[36m",
}

func (r *Findings) paint(s rules.Severity, text string) string {
	if !r.Color {
		return text
	}
	return sevColor[s] + text + "\x1b[0m"
}

// FindingsTable writes findings grouped by severity, worst first, then the
// waived ones, then the summary line.
func FindingsTable(w io.Writer, r *Findings) error {
	open := r.open()
	for _, sev := range rules.Severities {
		var rows [][]string
		for _, f := range open {
			if f.Severity != sev {
				continue
			}
			rows = append(rows, []string{f.Rule + " " + f.ShortCode, r.Where(f), f.Address, f.Message})
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s (%d)\n", r.paint(sev, strings.ToUpper(string(sev))), len(rows))
		if err := wrappedTable(w, []string{"RULE", "WHERE", "ADDRESS", "FINDING"}, rows, messageWidth); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	if sup := r.suppressed(); len(sup) > 0 {
		rows := make([][]string, 0, len(sup))
		for _, f := range sup {
			why := f.Suppressed.Kind
			if f.Suppressed.Reason != "" {
				why += ": " + f.Suppressed.Reason
			}
			if f.Suppressed.Expires != "" {
				why += " (until " + f.Suppressed.Expires + ")"
			}
			rows = append(rows, []string{f.Rule + " " + f.ShortCode, string(f.Severity), r.Where(f), f.Address, why})
		}
		fmt.Fprintf(w, "Waived (%d)\n", len(rows))
		if err := wrappedTable(w, []string{"RULE", "SEVERITY", "WHERE", "ADDRESS", "WHY"}, rows, messageWidth); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	_, err := fmt.Fprintln(w, r.Summary())
	return err
}
