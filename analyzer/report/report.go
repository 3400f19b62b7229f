// Package report turns the results of a run into every output format
// lambdacheck writes: tables for terminals, JSON for machines, SARIF for
// code scanning, JUnit for CI, Markdown for pull requests, Code Quality
// for GitLab merge requests, Mermaid and DOT for drawings, CSV and a
// self-contained HTML page for audits.
//
// Place: the last stage, after the pipeline (inventory → flows →
// findings). It reads results and decides nothing; each format is chosen
// by name with Lookup and lives in a file of its own. Every output is
// opened here (Output, Emit: standard output or a file), and so are the
// terminal's concerns: colour, the table view, progress displays.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/audit"
	"github.com/lambdacheck/lambdacheck/analyzer/diff"
	"github.com/lambdacheck/lambdacheck/analyzer/expect"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
	"github.com/lambdacheck/lambdacheck/simulator/graph"
)

// Report is what a format may show; each view fills the parts it has.
type Report struct {
	Inventory *inventory.Inventory
	Flows     *flow.Result
	Findings  *Findings
	Graph     *graph.Graph
	Rules     []rules.Rule
	RuleTests []rules.TestResult
	Decision  *Decision
	// Diff is a comparison of two runs; Findings then holds head's new
	// findings only.
	Diff *diff.Result
	// Gate is the list of classes --fail-on-new refuses, shown with the
	// comparison.
	Gate []diff.Class
	// Outcomes are expectations checked against the flows.
	Outcomes []expect.Outcome
	// Audit is a cross-account audit.
	Audit *audit.Audit
	// Verbose lists passing rule tests too.
	Verbose bool
}

// Format writes a report in one output format.
type Format interface {
	Write(w io.Writer, r *Report) error
}

// FlowPreparer is a Format that can lay out the flows before the findings
// are known, so that the work overlaps with judging.
type FlowPreparer interface {
	PrepareFlows(*flow.Result)
}

// View is what is being reported; each has its own set of formats.
type View string

// The views, one per kind of result.
const (
	Run       View = "run"       // a simulated and judged run
	Drawing   View = "graph"     // the flow graph
	Inventory View = "inventory" // what was loaded
	RuleList  View = "rules"     // the rules
	RuleTests View = "rule tests"
	Authz     View = "authz" // one IAM decision
	Diff      View = "diff"  // two runs compared
	Expect    View = "expectations"
	Audit     View = "cross-account"
)

type entry struct {
	name string
	make func() Format
}

// formats lists each view's formats, the default first.
var formats = map[View][]entry{
	Run: {
		{"table", func() Format { return &runTable{} }},
		{"json", func() Format { return formatFunc(writeRunJSON) }},
		{"sarif", func() Format { return findingsFormat(FindingsSARIF) }},
		{"junit", func() Format { return findingsFormat(FindingsJUnit) }},
		{"markdown", func() Format { return findingsFormat(FindingsMarkdown) }},
		{"codequality", func() Format { return findingsFormat(FindingsCodeQuality) }},
		{"gitlab-sast", func() Format { return findingsFormat(FindingsGitLabSAST) }},
	},
	Drawing: {
		{"mermaid", func() Format { return graphFormat(Mermaid) }},
		{"dot", func() Format { return graphFormat(DOT) }},
	},
	Inventory: {
		{"table", func() Format {
			return formatFunc(func(w io.Writer, r *Report) error { return inventoryTables(w, r.Inventory) })
		}},
		{"json", func() Format {
			return formatFunc(func(w io.Writer, r *Report) error { return inventory.Write(w, r.Inventory) })
		}},
	},
	RuleList: {
		{"table", func() Format { return formatFunc(rulesTable) }},
		{"json", func() Format { return formatFunc(rulesJSON) }},
		{"markdown", func() Format { return formatFunc(rulesMarkdown) }},
	},
	RuleTests: {
		{"table", func() Format { return formatFunc(ruleTestsTable) }},
		{"json", func() Format { return formatFunc(ruleTestsJSON) }},
	},
	Diff: {
		{"table", func() Format { return formatFunc(diffTable) }},
		{"json", func() Format { return formatFunc(diffJSON) }},
		{"markdown", func() Format { return formatFunc(diffMarkdown) }},
		{"sarif", func() Format { return findingsFormat(FindingsSARIF) }},
	},
	Expect: {
		{"table", func() Format { return formatFunc(expectTable) }},
		{"junit", func() Format { return formatFunc(expectJUnit) }},
	},
	Audit: {
		{"table", func() Format { return formatFunc(auditTable) }},
		{"json", func() Format { return formatFunc(auditJSON) }},
		{"csv", func() Format { return formatFunc(auditCSV) }},
		{"markdown", func() Format { return formatFunc(auditMarkdown) }},
		{"html", func() Format { return formatFunc(auditHTML) }},
	},
	Authz: {
		{"table", func() Format { return formatFunc(decisionTable) }},
		{"json", func() Format { return formatFunc(decisionJSON) }},
	},
}

// Lookup returns the format called name for view; an unknown name is an
// error listing the known ones.
func Lookup(view View, name string) (Format, error) {
	entries := formats[view]
	names := make([]string, len(entries))
	for i, e := range entries {
		if e.name == name {
			return e.make(), nil
		}
		names[i] = e.name
	}
	return nil, fmt.Errorf("format %q: want %s", name, orList(names))
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

type formatFunc func(io.Writer, *Report) error

func (f formatFunc) Write(w io.Writer, r *Report) error { return f(w, r) }

// findingsFormat writes the findings alone.
type findingsFormat func(io.Writer, *Findings) error

func (f findingsFormat) Write(w io.Writer, r *Report) error { return f(w, r.Findings) }

// graphFormat draws the flow graph.
type graphFormat func(io.Writer, *graph.Graph) error

func (f graphFormat) Write(w io.Writer, r *Report) error { return f(w, r.Graph) }
