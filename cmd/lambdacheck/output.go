package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

// lookupFormat checks --format against the formats of view.
func lookupFormat(view report.View, name string) (report.Format, error) {
	format, err := report.Lookup(view, name)
	if err != nil {
		return nil, &exitError{code: 2, msg: "--" + err.Error()}
	}
	return format, nil
}

// writeOutput calls write with standard output, or with the --output file
// path when one is given; a file that cannot be created or closed is an
// error (exit 2).
func writeOutput(cmd *cobra.Command, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(cmd.OutOrStdout())
	}
	file, err := os.Create(path)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	err = write(file)
	if cerr := file.Close(); err == nil && cerr != nil {
		err = &exitError{code: 2, msg: fmt.Sprintf("write %s: %v", path, cerr)}
	}
	return err
}
