package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/internal/buildinfo"
)

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
	root.AddCommand(newVersionCommand())
	root.AddCommand(newAuthzCommand())
	root.AddCommand(newSimulateCommand())
	root.AddCommand(newInventoryCommand())
	root.AddCommand(newRulesCommand())
	root.AddCommand(newCollectCommand())
	root.AddCommand(newGraphCommand())
	root.AddCommand(newDiffCommand())
	root.AddCommand(newTestCommand())
	root.AddCommand(newReportCommand())
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
	return &exitError{code: 2, msg: fmt.Sprintf("%s\nRun '%s --help' for usage.", err.Error(), cmd.CommandPath())}
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
