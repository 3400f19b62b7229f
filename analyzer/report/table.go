package report

import (
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
)

// Table writes rows under header as a bordered text table.
func Table(w io.Writer, header []string, rows [][]string) error {
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	return fillTable(t, header, rows)
}

// fillTable writes the header and the cleaned rows into t and renders it.
func fillTable(t *tablewriter.Table, header []string, rows [][]string) error {
	h := make([]any, len(header))
	for i, s := range header {
		h[i] = s
	}
	t.Header(h...)
	for _, r := range rows {
		if err := t.Append(cleanRow(r)); err != nil {
			return err
		}
	}
	return t.Render()
}

// cleanRow strips control characters and escape sequences from the cells
// of a table, which mostly hold text from the input.
func cleanRow(r []string) []string {
	out := make([]string, len(r))
	for i, s := range r {
		out[i] = clean.Text(s)
	}
	return out
}
