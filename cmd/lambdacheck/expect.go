package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/expect"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

func newTestCommand() *cobra.Command {
	var run pipeline.Options
	var format, output, file, accessScope string
	var write bool
	cmd := &cobra.Command{
		Use:   "test [PATH]",
		Short: "Check the expectations written in lambdacheck.hcl against the simulated flows",
		Long: `test simulates PATH (default "."; anything simulate accepts) and checks the
expect blocks of lambdacheck.hcl (in PATH, else the working directory; or
--expectations FILE): a flow (trigger -> function), an access (function,
action, resource) or a principal that may invoke nothing, each with its
result, names taking "*" and "?" wildcards. --write records today's flows as
expectations instead (--write-access says which access flows).

Exit status: 1 when an expectation fails, 2 on an HCL error (with its file,
line and column) or an input error, 0 otherwise.`,
		Example: `  lambdacheck test infra/
  lambdacheck test infra/ --expectations ci/lambdacheck.hcl --format junit --output expectations.xml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := pipeline.DefaultPaths(args)[0]
			scope, err := expect.ParseAccessScope(accessScope)
			if err != nil {
				return fmt.Errorf("--write-%w", err)
			}
			if cmd.Flags().Changed("write-access") && !write {
				return fmt.Errorf("--write-access goes with --write")
			}
			f, err := lookupFormat(report.Expect, format)
			if err != nil {
				return err
			}
			suite, err := expect.Open(file, path, write)
			if err != nil {
				return err
			}
			run.Paths, run.Load = []string{path}, withStdin(cmd, run.Load)
			res, err := pipeline.Run(cmd.Context(), run)
			if err := loaded(cmd)(res, err); err != nil {
				return err
			}
			if write {
				n, err := suite.Record(res.Flows, scope)
				if err == nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "lambdacheck: recorded %d expectation(s) in %s\n", n, suite.File)
				}
				return err
			}
			outcomes := suite.Check(res.Flows)
			if err := report.Emit(cmd.OutOrStdout(), output, f, &report.Report{Outcomes: outcomes}); err != nil {
				return err
			}
			return failed(expect.Verdict(outcomes))
		},
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &run.Load)
	registerOutputFlags(fl, &format, &output, "table", "table or junit")
	fl.StringVar(&file, "expectations", "", "read the expectations from `FILE` (default: lambdacheck.hcl in PATH, else the working directory)")
	fl.BoolVar(&write, "write", false, "record today's triggers, outside principals' reach and the access in --write-access as expectations (appended to the expectations file, skipping names it has) instead of checking")
	fl.StringVar(&accessScope, "write-access", "risky", "with --write: the access flows recorded: risky (writes and permissions management to named resources, and every access to another account), all, or none")
	fl.IntVar(&run.MaxDepth, "depth", 4, "longest chain to simulate, in functions")
	fl.StringVar(&run.OrgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	return cmd
}
