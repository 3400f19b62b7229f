// Command lambdacheck loads AWS Lambda applications (Terraform, snapshots),
// simulates every trigger → invoke → resource-access flow with an IAM policy
// evaluation engine, and judges the flows with Rego rules.
//
// This package only wires the analyzer and simulator packages to the command
// line: flags, the calls, and exit codes; each command lives in a file of its
// own.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/awsapi"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run executes the command line and maps errors to exit codes:
// 0 success, 1 a gate failed (findings, denied request), 2 usage or input
// error, 130 interrupted.
func run(args []string) int { return runIO(args, os.Stdin, os.Stdout, os.Stderr) }

// runIO is run with its standard streams given.
func runIO(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteC()
	err = withHelpHint(cmd, err)
	if err == nil {
		return 0
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(stderr, "lambdacheck:", msg)
	}
	return exitCode(err)
}

// exitCode maps an error to the exit status: an *exitError carries its own,
// an interruption is 130, anything else is a usage or input error (2).
func exitCode(err error) int {
	var exit *exitError
	switch {
	case errors.As(err, &exit):
		return exit.code
	case errors.Is(err, awsapi.ErrInterrupted):
		return 130
	}
	return 2
}

// exitError carries a specific exit code out of a command.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// failed is a gate's verdict as the command's error: exit 1, or nil.
func failed(verdict error) error {
	if verdict == nil {
		return nil
	}
	return &exitError{code: 1, msg: verdict.Error()}
}

// lookupFormat checks --format against the formats of view.
func lookupFormat(view report.View, name string) (report.Format, error) {
	format, err := report.Lookup(view, name)
	if err != nil {
		return nil, errors.New("--" + err.Error())
	}
	return format, nil
}

func partialInput(errs int) error {
	return fmt.Errorf("%d error(s) in the configuration (above); the results are partial", errs)
}

// loaded shows the load diagnostics of a run on stderr and makes errors
// among them the run's error: the results are partial.
func loaded(cmd *cobra.Command) func(*pipeline.Result, error) error {
	return func(res *pipeline.Result, err error) error {
		if res != nil && res.Inventory != nil {
			if n := report.Diagnostics(cmd.ErrOrStderr(), res.Inventory); n > 0 && err == nil {
				err = partialInput(n)
			}
		}
		return err
	}
}

// shown shows a run's notes and load diagnostics (and with remarks, its
// warnings and messages) on stderr, and returns the number of errors among
// the diagnostics with the run's error; a run that loaded nothing is an
// error. Commands with output write it before failing on load errors.
func shown(cmd *cobra.Command, res *pipeline.Result, err error, remarks bool) (int, error) {
	w := cmd.ErrOrStderr()
	if res != nil {
		report.Remarks(w, "note", res.Notes...)
	}
	if res == nil || res.Inventory == nil {
		if err == nil {
			err = errors.New("nothing was loaded")
		}
		return 0, err
	}
	n := report.Diagnostics(w, res.Inventory)
	if remarks {
		report.Remarks(w, "warning", res.Warnings...)
		for _, m := range res.Messages {
			report.Remarks(w, m.Kind, m.Text)
		}
	}
	return n, err
}
