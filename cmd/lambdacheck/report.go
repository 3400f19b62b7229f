package main

import (
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

func newCrossAccountReportCommand() *cobra.Command {
	var load pipeline.LoadOptions
	var format, output, config string
	var extra audit.Options
	cmd := &cobra.Command{
		Use:   "cross-account PATH...",
		Short: "Who outside the accounts can invoke each function, and what outside each function reaches",
		Long: `report cross-account simulates PATH (merged, e.g. the snapshots of several
accounts) and lists for each function the principals outside its account
that may invoke it (public, organization, outside, service) and the resources
outside its account its role reaches, with the granting statements
(docs/cross-account-report.md). The accounts, trusted accounts and
organization come from .lambdacheck.hcl (or --config FILE) and the flags.`,
		Example: `  lambdacheck report cross-account prod-a.json prod-b.json --org-id o-abc123def4
  lambdacheck report cross-account snapshots/*.json --format html --output cross-account.html`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			f, err := lookupFormat(report.Audit, format)
			if err != nil {
				return err
			}
			opts, err := audit.WithSettings(config, pipeline.InputPath(paths), extra)
			if err != nil {
				return err
			}
			res, err := pipeline.Run(cmd.Context(), pipeline.Options{Paths: paths, Load: withStdin(cmd, load), MaxDepth: 1, OrgID: opts.OrgID})
			if err := loaded(cmd)(res, err); err != nil {
				return err
			}
			return report.Emit(cmd.OutOrStdout(), output, f, &report.Report{Audit: audit.CrossAccount(res.Inventory, res.Flows, opts)})
		},
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &load)
	registerOutputFlags(fl, &format, &output, "table", "table, json, csv, markdown or html")
	fl.StringVar(&extra.OrgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID); wins over org_id in the settings")
	fl.StringVar(&config, "config", "", "settings `FILE` (default: .lambdacheck.hcl in PATH or the working directory)")
	fl.StringArrayVar(&extra.Accounts, "org-account", nil, "an `ACCOUNT` id of the organization besides those PATH holds (repeatable)")
	fl.StringArrayVar(&extra.Trusted, "trusted-account", nil, "an outside `ACCOUNT` id the application trusts (repeatable)")
	return cmd
}
