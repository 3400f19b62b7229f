package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

// Output calls write with a buffered stdout, or with the file at path when
// path is not empty. Every output goes through here, so a file that cannot
// be created, flushed or closed is an error for every command alike.
func Output(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		return buffered(stdout, write)
	}
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	err = buffered(file, write)
	if cerr := file.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write %s: %v", path, cerr)
	}
	return err
}

// Emit writes r in format f to stdout or the file at path, as Output.
func Emit(stdout io.Writer, path string, f Format, r *Report) error {
	return Output(stdout, path, func(w io.Writer) error { return f.Write(w, r) })
}

// buffered runs write over a buffer of w: the tables of a large estate are
// tens of thousands of rows, written a line at a time.
func buffered(w io.Writer, write func(io.Writer) error) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	err := write(bw)
	if ferr := bw.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("write output: %v", ferr)
	}
	return err
}

// IsTerminal reports whether w is a terminal (a character device).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// ColorOK reports whether w is a terminal and NO_COLOR is unset or empty
// (https://no-color.org).
func ColorOK(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && IsTerminal(w)
}

// ChooseView sets the view of a table format: view when given (not with
// quiet), else the findings alone when quiet, else on a terminal the view
// that summarises a large estate, else everything (what scripts and CI
// logs read). A format without views takes no view.
func ChooseView(f Format, view string, quiet, terminal bool) error {
	viewer, ok := f.(Viewer)
	if !ok {
		if view != "" {
			return errors.New("--view goes with --format table")
		}
		return nil
	}
	switch {
	case view != "":
		if quiet {
			return errors.New("--view and --quiet exclude each other")
		}
		v, err := ParseTableView(view)
		if err != nil {
			return errors.New("--" + err.Error())
		}
		viewer.SetView(v)
	case quiet:
		viewer.SetView(ViewFindings)
	case terminal:
		viewer.SetView(ViewAuto)
	default:
		viewer.SetView(ViewAll)
	}
	return nil
}

// Remarks prints each line on w as "lambdacheck: KIND: line", or as
// "lambdacheck: line" without a kind.
func Remarks(w io.Writer, kind string, lines ...string) {
	for _, l := range lines {
		if kind != "" {
			l = kind + ": " + l
		}
		fmt.Fprintln(w, "lambdacheck: "+l)
	}
}
