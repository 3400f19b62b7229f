package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// runTable is the table format of a run: the flow tables, then the
// findings. The flow tables do not depend on the findings, so they can be
// laid out (PrepareFlows) while the rules run.
type runTable struct {
	view     TableView
	tables   bytes.Buffer
	err      error
	prepared bool
	// prepareAtMost overrides the package's bound (tests); 0 keeps it.
	prepareAtMost int
}

// prepareAtMost is the most flows whose tables are laid out ahead, in
// memory. Past it they are written straight to the output when the report
// is: holding a large estate's tables (over 100 MB) while the rules run
// made the collector work harder than the overlap saved.
const prepareAtMost = 50_000

func (t *runTable) PrepareFlows(res *flow.Result) {
	most := prepareAtMost
	if t.prepareAtMost > 0 {
		most = t.prepareAtMost
	}
	if !t.needsFlowTables(res) || res == nil || len(res.Flows) > most {
		return
	}
	// About 440 bytes a row on a large estate: sized once, the buffer is
	// not copied as it grows.
	t.tables.Grow(len(res.Flows) * 448)
	t.err = writeFlowTables(&t.tables, res)
	t.prepared = true
}

func (t *runTable) Write(w io.Writer, r *Report) error {
	switch {
	case t.view == ViewFindings:
		return FindingsTable(w, r.Findings)
	case t.view == ViewSummary:
		if err := FunctionSummaryTable(w, r); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "\n%s\n", r.Findings.Summary())
		return err
	case t.view == ViewAuto && !t.needsFlowTables(r.Flows):
		// Findings first: on a large estate they are what to read.
		fmt.Fprintf(w, "Findings\n")
		if err := FindingsTable(w, r.Findings); err != nil {
			return err
		}
		fmt.Fprintf(w, "\n%d flows; --view flows or --view all lists them.\n\n", len(r.Flows.Flows))
		if err := FunctionSummaryTable(w, r); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "\n%s\n", r.Findings.Summary())
		return err
	}
	if err := t.writeFlowTables(w, r.Flows); err != nil {
		return err
	}
	if t.view == ViewFlows {
		return nil
	}
	fmt.Fprintf(w, "\nFindings\n")
	return FindingsTable(w, r.Findings)
}

// writeFlowTables writes the flow tables laid out ahead, or lays them out
// now, straight to w.
func (t *runTable) writeFlowTables(w io.Writer, res *flow.Result) error {
	if t.prepared {
		if _, err := t.tables.WriteTo(w); err != nil {
			return err
		}
		return t.err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := writeFlowTables(bw, res); err != nil {
		return err
	}
	return bw.Flush()
}

// writeRunJSON is the JSON format of a run: flows, findings and unknowns.
func writeRunJSON(w io.Writer, r *Report) error {
	bw, ok := w.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(w, 1<<16)
	}
	err := writeFlowsJSON(bw, r.Flows, r.Findings.Findings)
	if !ok {
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}
