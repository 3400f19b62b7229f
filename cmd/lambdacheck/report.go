package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/audit"
	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
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
	orgID    string
	config   string
	accounts []string
	trusted  []string
}

func newCrossAccountReportCommand() *cobra.Command {
	f := &crossAccountFlags{}
	cmd := &cobra.Command{
		Use:   "cross-account PATH...",
		Short: "Who outside the accounts can invoke each function, and what outside each function reaches",
		Long: `report cross-account simulates PATH (Terraform directories or snapshots, e.g.
those collect wrote for several accounts of an organization; they are merged)
and lists, for each function, every principal outside the function's account
that may invoke it, grouped as

  public         any AWS account, or anyone through a function URL without auth;
  organization   accounts of the organization: those PATH holds functions of,
                 accounts in .lambdacheck.hcl and --account, and any account of
                 the organization (--org-id / org_id) where a grant is limited
                 to it by aws:PrincipalOrgID;
  outside        every other account (marked trusted when in trusted_accounts
                 or --trusted-account);
  service        AWS services allowed without a source pin (aws:SourceArn or
                 aws:SourceAccount), which anyone's resource could make invoke it;

and every resource outside its account its role can reach, by access level:
in an account of the organization, outside it, or (any-account) outside the
inventory with an ARN that names no account or a wildcard one, as S3 buckets.
Each entry names the statements that grant it and their conditions. Denied
flows are left out; conditional and unknown ones are listed with their
decision.

The accounts, trusted accounts and organization come from .lambdacheck.hcl
(in PATH or the working directory, or --config FILE); the flags add to them
(--org-id replaces org_id).

Formats: table, json, csv, markdown, and html: one self-contained page with
the cross-account graph and filters by group and function, that needs no
network (open it in a browser or attach it to an audit).`,
		Example: `  lambdacheck report cross-account prod-a.json prod-b.json --org-id o-abc123def4
  lambdacheck report cross-account infra/ --format json
  lambdacheck report cross-account snapshots/*.json --format html --output cross-account.html`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runCrossAccountReport(cmd, f, args) },
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &f.inventoryFlags)
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table, json, csv, markdown or html")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of standard output")
	fl.StringVar(&f.orgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID); wins over org_id in the settings")
	fl.StringVar(&f.config, "config", "", "settings `FILE` (default: .lambdacheck.hcl in PATH or the working directory)")
	fl.StringArrayVar(&f.accounts, "org-account", nil, "an `ACCOUNT` id of the organization besides those PATH holds (repeatable)")
	fl.StringArrayVar(&f.trusted, "trusted-account", nil, "an outside `ACCOUNT` id the application trusts (repeatable)")
	return cmd
}

// auditOptions are the settings' accounts with the flags added.
func (f *crossAccountFlags) auditOptions(paths []string) (audit.Options, error) {
	file, err := rules.FindSettings(f.config, pipeline.InputPath(paths))
	if err != nil {
		return audit.Options{}, err
	}
	s, err := rules.ReadSettings(file)
	if err != nil {
		return audit.Options{}, err
	}
	for _, list := range []struct {
		flag string
		ids  []string
	}{{"--org-account", f.accounts}, {"--trusted-account", f.trusted}} {
		for _, id := range list.ids {
			if !awsref.IsAccountID(id) {
				return audit.Options{}, fmt.Errorf("%s %q: want a 12-digit account id", list.flag, id)
			}
		}
	}
	if f.orgID != "" && !strings.HasPrefix(f.orgID, "o-") {
		return audit.Options{}, fmt.Errorf("--org-id %q: want an organization id like o-abc123def4", f.orgID)
	}
	org := s.OrgID
	if f.orgID != "" {
		org = f.orgID
	}
	return audit.Options{
		Accounts: append(append([]string{}, s.Accounts...), f.accounts...),
		Trusted:  append(append([]string{}, s.TrustedAccounts...), f.trusted...),
		OrgID:    org,
	}, nil
}

func runCrossAccountReport(cmd *cobra.Command, f *crossAccountFlags, paths []string) error {
	format, err := lookupFormat(report.Audit, f.format)
	if err != nil {
		return err
	}
	opts, err := f.auditOptions(paths)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	res, err := pipeline.Run(cmd.Context(), pipeline.Options{Paths: paths, Load: f.inventoryFlags.loadOptions(cmd), MaxDepth: 1, OrgID: opts.OrgID})
	if res != nil && res.Inventory != nil {
		if n := report.Diagnostics(cmd.ErrOrStderr(), res.Inventory); n > 0 && err == nil {
			err = partialInput(n)
		}
	}
	if err != nil {
		return inputErr(err)
	}
	a := audit.CrossAccount(res.Inventory, res.Flows, opts)
	return writeOutput(cmd, f.output, func(out io.Writer) error {
		bw := bufio.NewWriter(out)
		err := format.Write(bw, &report.Report{Audit: a})
		if ferr := bw.Flush(); err == nil && ferr != nil {
			err = &exitError{code: 2, msg: fmt.Sprintf("write output: %v", ferr)}
		}
		return err
	})
}
