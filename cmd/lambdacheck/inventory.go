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

// varFlag appends --var and --var-file values to one list, keeping their
// command-line order, which decides precedence as in Terraform.
type varFlag struct {
	list *[]eval.VarArg
	file bool
}

func (v varFlag) String() string { return "" }
func (v varFlag) Type() string {
	if v.file {
		return "file"
	}
	return "name=value"
}

func (v varFlag) Set(s string) error {
	if v.file {
		*v.list = append(*v.list, eval.VarArg{File: s})
		return nil
	}
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q: want NAME=VALUE", s)
	}
	*v.list = append(*v.list, eval.VarArg{Name: name, Value: value})
	return nil
}

func newInventoryCommand() *cobra.Command {
	var load pipeline.LoadOptions
	var format, output string
	cmd := &cobra.Command{
		Use:   "inventory [PATH...]",
		Short: "Show the functions, roles, policies, triggers and resources loaded from PATH",
		Long: `inventory loads a Terraform directory (or a snapshot file) the way Terraform
would resolve it, without running Terraform and without network, and prints
everything found — each item with its Terraform address and file:line — plus
what could not be resolved and why. PATH defaults to the current directory;
"-" reads a snapshot from standard input.

--format json prints the snapshot format (schema 2, see docs/snapshot.md),
which every command that takes a path accepts as input. Several paths
(snapshots of several accounts, Terraform directories of applications that
talk to each other) are merged into one inventory, joined by ARN.

Variables come from defaults, terraform.tfvars, *.auto.tfvars, TF_VAR_
environment variables, then --var and --var-file in command-line order.
--account and --region apply where the provider configuration names none;
otherwise the placeholders 123456789012 and us-east-1 are used.`,
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

// registerOutputFlags adds --format (with its default and the formats
// named in the help) and --output.
func registerOutputFlags(fl *pflag.FlagSet, format, output *string, def, names string) {
	fl.StringVarP(format, "format", "f", def, "output format: "+names)
	fl.StringVarP(output, "output", "o", "", "write to FILE instead of standard output")
}

// registerLoadFlags adds the flags that configure loading: variables, the
// scan root Terraform inputs must resolve into, the default account, and
// the kind of input and its template parameters.
func registerLoadFlags(fl *pflag.FlagSet, o *pipeline.LoadOptions) {
	fl.Var(varFlag{list: &o.Vars}, "var", "set a root module variable (repeatable)")
	fl.Var(varFlag{list: &o.Vars, file: true}, "var-file", "read variables from a .tfvars or .tfvars.json file (repeatable)")
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
