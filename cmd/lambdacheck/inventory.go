package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
)

type inventoryFlags struct {
	vars   []eval.VarArg
	strict bool
	// maxInstances overrides the count/for_each expansion budget.
	maxInstances int
	// root and allowOutside confine what a Terraform directory may read.
	root         string
	allowOutside bool
	account      string
	region       string
	format       string
	output       string
	src          sourceFlags
}

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
	f := &inventoryFlags{}
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
		RunE: func(cmd *cobra.Command, args []string) error { return runInventory(cmd, f, defaultPaths(args)) },
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, f)
	fl.StringVar(&f.region, "region", "", "AWS region where the configuration names none")
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table or json")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of standard output")
	return cmd
}

// registerLoadFlags adds the flags that configure loading: variables, the
// scan root Terraform inputs must resolve into, and the default account.
func registerLoadFlags(fl *pflag.FlagSet, f *inventoryFlags) {
	fl.Var(varFlag{list: &f.vars}, "var", "set a root module variable (repeatable)")
	fl.Var(varFlag{list: &f.vars, file: true}, "var-file", "read variables from a .tfvars or .tfvars.json file (repeatable)")
	fl.BoolVar(&f.strict, "strict-vars", false, "a root variable without a value is an error (exit 2), as in Terraform; by default its value is a symbol")
	fl.StringVar(&f.root, "root", "", "scan root `DIR`: every file read must resolve inside it (default: the Git work tree holding PATH, else PATH)")
	fl.BoolVar(&f.allowOutside, "allow-read-outside-root", false, "read regular files outside the scan root (never /proc, /dev, FIFOs or devices)")
	fl.StringVar(&f.account, "account", "", "AWS account id where the configuration names none")
	fl.IntVar(&f.maxInstances, "max-instances", 0, "instances count and for_each may add beyond one per declared block (default 100000)")
	registerSourceFlags(fl, &f.src)
}

func runInventory(cmd *cobra.Command, f *inventoryFlags, paths []string) error {
	format, err := lookupFormat(report.Inventory, f.format)
	if err != nil {
		return err
	}
	if f.account != "" && !awsref.IsAccountID(f.account) {
		return &exitError{code: 2, msg: fmt.Sprintf("--account %q: want a 12-digit account id", f.account)}
	}
	inv, err := pipeline.Load(cmd.Context(), paths, f.loadOptions(cmd))
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	err = writeOutput(cmd, f.output, func(out io.Writer) error {
		return format.Write(out, &report.Report{Inventory: inv})
	})
	if err != nil {
		return err
	}
	// Diagnostics are in the snapshot (and not on the terminal when the
	// tables go to a file): repeat errors on stderr.
	if errs := report.Errors(cmd.ErrOrStderr(), inv, f.format == "json" || f.output != ""); errs > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("%d error(s) in the configuration; the inventory above is partial", errs)}
	}
	return nil
}

// loadOptions are the flags that configure loading.
// loadOptions are the load flags, with the command's standard input for
// the path "-".
func (f *inventoryFlags) loadOptions(cmd *cobra.Command) pipeline.LoadOptions {
	return pipeline.LoadOptions{
		Vars: f.vars, StrictVars: f.strict, Root: f.root, AllowReadOutsideRoot: f.allowOutside,
		Account: f.account, Region: f.region,
		Source: f.src.kind, Parameters: f.src.parameters, MaxInstances: f.maxInstances,
		Stdin: cmd.InOrStdin(),
	}
}

// mergeInputs merges the inventories of several inputs (one is returned as
// it is); a conflict between them is an input error.
func mergeInputs(invs []*inventory.Inventory) (*inventory.Inventory, error) {
	merged, err := pipeline.Merge(invs)
	if err != nil {
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	return merged, nil
}

func partialInput(errs int) error {
	return &exitError{code: 2, msg: fmt.Sprintf("%d error(s) in the configuration (above); the results are partial", errs)}
}

// defaultPaths is the paths given, or the current directory when none is.
func defaultPaths(paths []string) []string {
	if len(paths) == 0 {
		return []string{"."}
	}
	return paths
}
