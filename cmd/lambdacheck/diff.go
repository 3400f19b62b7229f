package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/diff"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

func newDiffCommand() *cobra.Command {
	var o pipeline.DiffOptions
	judge := pipeline.DefaultJudgeSettings()
	judge.FailOn = "none"
	var format, output, failOnNew string
	cmd := &cobra.Command{
		Use:   "diff BASE HEAD | diff --git-base REF HEAD",
		Short: "Compare the flows and findings of two versions of an application",
		Long: `diff simulates and judges BASE and HEAD (each anything simulate accepts; with
--git-base REF, BASE is HEAD's path at that Git revision) and reports what
HEAD changes: flows added, removed and changed, and findings new and fixed,
matched by id and fingerprint, never by file or line. --fail-on-new refuses
what HEAD adds, by class: public, cross-account, write, admin, broken, any.

Exit status: 1 when --fail-on-new refuses a change, 2 on usage or input
errors (a live snapshot too incomplete to back a gate), 0 otherwise; --fail-on
does not apply here.`,
		Example: `  lambdacheck diff infra-before/ infra/
  lambdacheck diff --git-base origin/main infra/ --fail-on-new public,cross-account`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case o.GitBase != "" && len(args) != 1:
				return errors.New("with --git-base, give HEAD alone")
			case o.GitBase == "" && len(args) != 2:
				return errors.New("give BASE and HEAD, or --git-base REF and HEAD")
			}
			if err := pipeline.CheckDepth(o.Run.MaxDepth); err != nil {
				return err
			}
			gate, err := diff.ParseClasses(failOnNew)
			if err != nil {
				return fmt.Errorf("--fail-on-new %w", err)
			}
			f, err := lookupFormat(report.Diff, format)
			if err != nil {
				return err
			}
			if o.Run.Judge, err = judge.Options(); err != nil {
				return err
			}
			o.Base, o.Head = args[0], args[len(args)-1]
			o.Run.Load = withStdin(cmd, o.Run.Load)
			o.Loaded = loaded(cmd)
			c, err := pipeline.Diff(cmd.Context(), o)
			if err != nil {
				return err
			}
			j := c.Head
			findings := report.NewFindings(c.NewFindings, j.Rules, j.Threshold, j.Input, j.SourceDir, version)
			if err := report.Emit(cmd.OutOrStdout(), output, f, &report.Report{Diff: c.Diff, Findings: findings, Gate: gate}); err != nil {
				return err
			}
			return failed(c.Diff.Refuse(gate, failOnNew))
		},
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &o.Run.Load)
	registerOutputFlags(fl, &format, &output, "table", "table, json, markdown or sarif")
	fl.StringVar(&o.GitBase, "git-base", "", "take BASE from this Git `REF` of HEAD's path (then give HEAD alone)")
	fl.StringVar(&failOnNew, "fail-on-new", "", "exit 1 when HEAD adds access of these `CLASSES`: public, cross-account, write, admin, broken, any (comma-separated)")
	fl.StringArrayVar(&judge.Policies, "policy", nil, "load rules from `DIR` too (repeatable)")
	fl.StringVar(&judge.Config, "config", "", "settings `FILE` for both sides (default: each side's .lambdacheck.hcl)")
	fl.BoolVar(&judge.NoInlineWaivers, "no-inline-waivers", false, "ignore # lambdacheck:ignore comments in the HCL")
	fl.StringVar(&judge.Today, "today", "", "judge date-dependent rules as of this `YYYY-MM-DD` (default today, UTC)")
	fl.BoolVar(&o.Run.AllowIncomplete, "allow-incomplete", false, "accept a live snapshot with nothing collected or a trigger service not read (exit 2 otherwise)")
	fl.IntVar(&o.Run.MaxDepth, "depth", 4, "longest chain to report, in functions")
	fl.StringVar(&o.Run.OrgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	return cmd
}
