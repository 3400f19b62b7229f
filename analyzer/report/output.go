package report

import (
	"bufio"
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
