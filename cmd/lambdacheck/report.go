package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/audit"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

func newReportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Audit reports over an application or accounts",
	}
	cmd.AddCommand(newCrossAccountReportCommand())
	return cmd
}

type crossAccountFlags struct {
	inventoryFlags
	orgID string
}

func newCrossAccountReportCommand() *cobra.Command {
	f := &crossAccountFlags{}
	cmd := &cobra.Command{
		Use:   "cross-account PATH...",
		Short: "Who outside the accounts can invoke each function, and what outside each function reaches",
		Long: `report cross-account simulates PATH (Terraform directories or snapshots, e.g.
those collect wrote for several accounts; they are merged) and lists, for each
function, the public and every account that may invoke it, and every resource
in another account its role can reach, with the statements that grant it.
Denied flows are left out; conditional and unknown ones are listed with their
decision. Service principals are not listed (see simulate for them).`,
		Example: `  lambdacheck report cross-account prod-a.json prod-b.json
  lambdacheck report cross-account infra/ --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runCrossAccountReport(cmd, f, args) },
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &f.inventoryFlags)
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table or json")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of standard output")
	fl.StringVar(&f.orgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	return cmd
}

func runCrossAccountReport(cmd *cobra.Command, f *crossAccountFlags, paths []string) error {
	format, err := lookupFormat(report.Audit, f.format)
	if err != nil {
		return err
	}
	res, err := pipeline.Run(cmd.Context(), pipeline.Options{Paths: paths, Load: f.inventoryFlags.loadOptions(cmd), MaxDepth: 1, OrgID: f.orgID})
	if res != nil && res.Inventory != nil {
		if n := report.Diagnostics(cmd.ErrOrStderr(), res.Inventory); n > 0 && err == nil {
			err = partialInput(n)
		}
	}
	if err != nil {
		return inputErr(err)
	}
	entries := audit.CrossAccount(res.Flows)
	return writeOutput(cmd, f.output, func(out io.Writer) error {
		bw := bufio.NewWriter(out)
		err := format.Write(bw, &report.Report{Audit: entries})
		if ferr := bw.Flush(); err == nil && ferr != nil {
			err = &exitError{code: 2, msg: fmt.Sprintf("write output: %v", ferr)}
		}
		return err
	})
}
