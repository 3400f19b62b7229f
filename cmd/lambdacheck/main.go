// Command lambdacheck loads AWS Lambda applications (Terraform, snapshots),
// simulates every trigger → invoke → resource-access flow with an IAM policy
// engine and judges the flows with Rego rules. This package only wires the
// analyzer and simulator packages to the command line (flags, calls, exit
// codes); each command has a file of its own, the root and version this one.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/awsapi"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
	"github.com/lambdacheck/lambdacheck/internal/buildinfo"
	"github.com/lambdacheck/lambdacheck/internal/gcsettings"
)

func main() {
	gcsettings.Apply(os.Getenv)
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

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "lambdacheck",
		Short: "Simulate and check AWS Lambda permission flows",
		Long: `lambdacheck loads Lambda functions, their execution roles, resource-based
policies and triggers, decides every trigger → invoke → resource-access step
with a faithful IAM policy evaluation engine, and reports what is broken or
dangerous.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildinfo.Running(version),
	}
	root.SetVersionTemplate("lambdacheck {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err: err} })
	root.AddCommand(newVersionCommand(), newAuthzCommand(), newSimulateCommand(), newInventoryCommand(), newRulesCommand(),
		newCollectCommand(), newGraphCommand(), newDiffCommand(), newTestCommand(), newReportCommand())
	return root
}

// usageError is a command line cobra could not parse (an unknown flag, a
// flag without its value): the message is followed by a hint to the
// command's help.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// withHelpHint adds "Run 'lambdacheck CMD --help' for usage." to an error
// of the command line itself (unknown command or flag, wrong number of
// arguments), where cmd is the command cobra settled on.
func withHelpHint(cmd *cobra.Command, err error) error {
	if cmd == nil || err == nil {
		return err
	}
	var usage *usageError
	if !errors.As(err, &usage) && !strings.HasPrefix(err.Error(), "unknown command") {
		return err
	}
	return &exitError{code: 2, err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, cmd.CommandPath())}
}

// usageArgs makes an argument check's error a usage error, hinted at help.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return &usageError{err: err}
		}
		return nil
	}
}

// version is set at build time with -ldflags "-X main.version=…"; without
// it the module version from the build information is used.
var version = "dev"

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the lambdacheck version, commit and build date",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "lambdacheck %s\n", buildinfo.Running(version))
			return nil
		},
	}
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
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

// failed is a gate's verdict as the command's error: exit 1, or nil.
func failed(verdict error) error {
	if verdict == nil {
		return nil
	}
	return &exitError{code: 1, err: verdict}
}

// lookupFormat checks --format against the formats of view.
func lookupFormat(view report.View, name string) (report.Format, error) {
	format, err := report.Lookup(view, name)
	if err != nil {
		return nil, errors.New("--" + err.Error())
	}
	return format, nil
}

// shown shows the load diagnostics of a run on stderr (with remarks, also
// its notes, warnings and messages) and returns an error for the errors
// among them, as the results are partial, beside the run's error; a run
// that loaded nothing is an error.
func shown(cmd *cobra.Command, res *pipeline.Result, err error, remarks bool) (partial, _ error) {
	w := cmd.ErrOrStderr()
	if res != nil && remarks {
		report.Remarks(w, "note", res.Notes...)
	}
	if res == nil || res.Inventory == nil {
		if err == nil {
			err = errors.New("nothing was loaded")
		}
		return nil, err
	}
	if n := report.Diagnostics(w, res.Inventory); n > 0 {
		partial = fmt.Errorf("%d error(s) in the configuration (above); the results are partial", n)
	}
	if remarks {
		report.Remarks(w, "warning", res.Warnings...)
		for _, m := range res.Messages {
			report.Remarks(w, m.Kind, m.Text)
		}
	}
	return partial, err
}

// loaded is shown for commands that write nothing from partial results.
func loaded(cmd *cobra.Command) func(*pipeline.Result, error) error {
	return func(res *pipeline.Result, err error) error {
		partial, err := shown(cmd, res, err, false)
		if err == nil {
			err = partial
		}
		return err
	}
}
