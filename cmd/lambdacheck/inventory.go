package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
	"github.com/lambdacheck/lambdacheck/analyzer/source"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
)

func newInventoryCommand() *cobra.Command {
	var load pipeline.LoadOptions
	var format, output string
	cmd := &cobra.Command{
		Use:   "inventory [PATH...]",
		Short: "Show the functions, roles, policies, triggers and resources loaded from PATH",
		Long: `inventory loads PATH (default "."; several are merged; "-" reads a snapshot
from standard input) the way Terraform would resolve it, without running it,
and prints every item with its address and file:line, and what could not be
resolved and why. --format json prints the snapshot (docs/snapshot.md).
Variables come from defaults, tfvars files, TF_VAR_ variables, then --var and
--var-file in command-line order.`,
		Example: `  lambdacheck inventory fixtures/thumbnails
  lambdacheck inventory infra/ --var env=prod --var-file prod.tfvars --format json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := lookupFormat(report.Inventory, format)
			if err != nil {
				return err
			}
			if load.Account != "" && !awsref.IsAccountID(load.Account) {
				return fmt.Errorf("--account %q: want a 12-digit account id", load.Account)
			}
			inv, err := pipeline.Load(cmd.Context(), pipeline.DefaultPaths(args), withStdin(cmd, load))
			if err != nil {
				return err
			}
			if err := report.Emit(cmd.OutOrStdout(), output, f, &report.Report{Inventory: inv}); err != nil {
				return err
			}
			// Diagnostics are in the snapshot (and not on the terminal
			// when the tables go to a file): repeat errors on stderr.
			if errs := report.Errors(cmd.ErrOrStderr(), inv, format == "json" || output != ""); errs > 0 {
				return fmt.Errorf("%d error(s) in the configuration; the inventory above is partial", errs)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &load)
	fl.StringVar(&load.Region, "region", "", "AWS region where the configuration names none")
	registerOutputFlags(fl, &format, &output, "table", "table or json")
	return cmd
}

// registerOutputFlags adds --format (default def, formats names) and --output.
func registerOutputFlags(fl *pflag.FlagSet, format, output *string, def, names string) {
	fl.StringVarP(format, "format", "f", def, "output format: "+names)
	fl.StringVarP(output, "output", "o", "", "write to FILE instead of standard output")
}

// registerLoadFlags adds the flags of pipeline.LoadOptions: variables, the
// scan root, the default account, the input kind and template parameters.
func registerLoadFlags(fl *pflag.FlagSet, o *pipeline.LoadOptions) {
	fl.Var(eval.VarFlag{List: &o.Vars}, "var", "set a root module variable (repeatable)")
	fl.Var(eval.VarFlag{List: &o.Vars, File: true}, "var-file", "read variables from a .tfvars or .tfvars.json file (repeatable)")
	fl.BoolVar(&o.StrictVars, "strict-vars", false, "a root variable without a value is an error (exit 2), as in Terraform; by default its value is a symbol")
	fl.StringVar(&o.Root, "root", "", "scan root `DIR`: every file read must resolve inside it (default: the Git work tree holding PATH, else PATH)")
	fl.BoolVar(&o.AllowReadOutsideRoot, "allow-read-outside-root", false, "read regular files outside the scan root (never /proc, /dev, FIFOs or devices)")
	fl.StringVar(&o.Account, "account", "", "AWS account id where the configuration names none")
	fl.IntVar(&o.MaxInstances, "max-instances", 0, "instances count and for_each may add beyond one per declared block (default 100000)")
	fl.StringVar(&o.Source, "source", "", "input kind: "+strings.Join(source.Kinds, "|")+" (default: detected from the content)")
	fl.StringArrayVar(&o.Parameters, "parameter", nil, "set a template parameter `KEY=VALUE` (repeatable; wins over samconfig.toml and the parameter's Default)")
}

// withStdin is o reading the path "-" from the command's standard input.
func withStdin(cmd *cobra.Command, o pipeline.LoadOptions) pipeline.LoadOptions {
	o.Stdin = cmd.InOrStdin()
	return o
}
