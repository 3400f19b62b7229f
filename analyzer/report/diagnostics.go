package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
)

// Diagnostics prints on w what loading found wrong (errors, and
// warnings such as unset variables or ignored files), one per line with
// its position, and returns how many are errors: the commands that go on
// to simulate still do, and then exit 2, as the results are partial.
func Diagnostics(w io.Writer, inv *inventory.Inventory) int {
	// Files are relative to the directory loaded; name them as the user
	// can open them.
	dir := ""
	if inv.Source.Kind == "terraform" && !strings.Contains(inv.Source.Path, ",") {
		dir = inv.Source.Path
	}
	errs := 0
	for _, d := range inv.Diags {
		file := d.File
		if file != "" && dir != "" && !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		fmt.Fprintf(w, "lambdacheck: %s: %s: %s\n", position(file, d.Line, d.Column), d.Severity, diagText(d))
		if d.Severity == "error" {
			errs++
		}
	}
	return errs
}

// Errors repeats the error diagnostics of inv on w (for outputs that hold
// them, such as a snapshot, where they would otherwise go unseen) and
// returns how many there are.
func Errors(w io.Writer, inv *inventory.Inventory, repeat bool) int {
	errs := 0
	for _, d := range inv.Diags {
		if d.Severity == "error" {
			errs++
			if repeat {
				fmt.Fprintf(w, "%s: %s\n", position(d.File, d.Line, d.Column), diagText(d))
			}
		}
	}
	return errs
}

func position(file string, line, col int) string {
	file = clean.Line(file)
	switch {
	case file == "":
		return "-"
	case line == 0:
		return file
	case col == 0:
		return file + ":" + strconv.Itoa(line)
	}
	return file + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

// diagText is a diagnostic as one line; it quotes the input (names,
// values), so controls and escape sequences are stripped before it
// reaches a terminal or CI log.
func diagText(d inventory.Diagnostic) string {
	if d.Detail == "" {
		return clean.Line(d.Summary)
	}
	return clean.Line(d.Summary + ": " + d.Detail)
}
