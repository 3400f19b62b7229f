package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/diff"
	"github.com/lambdacheck/lambdacheck/analyzer/gitrev"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

type diffFlags struct {
	inventoryFlags
	findingsFlags
	depth     int
	orgID     string
	gitBase   string
	failOnNew string
	// allowIncomplete accepts a live snapshot that misses a whole service.
	allowIncomplete bool
}

func newDiffCommand() *cobra.Command {
	f := &diffFlags{}
	cmd := &cobra.Command{
		Use:   "diff BASE HEAD | diff --git-base REF HEAD",
		Short: "Compare the flows and findings of two versions of an application",
		Long: `diff simulates and judges BASE and HEAD (each anything simulate accepts: a
Terraform directory, a snapshot, a plan, a SAM template) and reports what HEAD
changes: flows added, removed and changed (decision, actions, or the number of
resources an aggregated grant covers), grouped by function with their access
level, and findings new and fixed. Flows are matched by id (addresses, ARNs,
actions) and findings by fingerprint, never by file or line: moving a block
to another file changes nothing.

With --git-base REF, BASE is HEAD's path as it was at the Git revision REF,
written to a temporary directory with git archive and removed afterwards;
the working tree and the repository are left as they are.

--fail-on-new refuses what HEAD adds, by class:
  public         a new or widened public reach (resource policy or function URL)
  cross-account  new cross-account access, or a new account allowed to invoke
  write          new Write or Permissions management access
  admin          a new admin-or-wildcard-role or privilege-escalation-actions finding
  broken         a new broken-trigger finding, or an invoke flow turning denied
  any            anything added or widened, and any new finding
Narrowing (fewer actions, a decision turning denied, a removed flow) passes.

Formats: table, json, markdown (collapsible sections for a pull-request
comment) and sarif (HEAD's new findings only).

Exit status: 1 when --fail-on-new refuses a change, 2 on usage or input
errors (including a snapshot of a live account too incomplete to back a gate),
0 otherwise. The findings' --fail-on threshold does not apply here.`,
		Example: `  lambdacheck diff infra-before/ infra/
  lambdacheck diff --git-base origin/main infra/ --fail-on-new public,cross-account
  lambdacheck diff --git-base main infra/ --format markdown --output diff.md
  lambdacheck diff before.json after.json --format json`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error { return runDiff(cmd, f, args) },
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &f.inventoryFlags)
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table, json, markdown or sarif")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of standard output")
	fl.StringVar(&f.gitBase, "git-base", "", "take BASE from this Git `REF` of HEAD's path (then give HEAD alone)")
	fl.StringVar(&f.failOnNew, "fail-on-new", "", "exit 1 when HEAD adds access of these `CLASSES`: public, cross-account, write, admin, broken, any (comma-separated)")
	fl.StringArrayVar(&f.policies, "policy", nil, "load rules from `DIR` too (repeatable)")
	fl.StringVar(&f.config, "config", "", "settings `FILE` for both sides (default: each side's .lambdacheck.hcl)")
	fl.BoolVar(&f.noInlineWaivers, "no-inline-waivers", false, "ignore # lambdacheck:ignore comments in the HCL")
	fl.StringVar(&f.today, "today", "", "judge date-dependent rules as of this `YYYY-MM-DD` (default today, UTC)")
	fl.BoolVar(&f.allowIncomplete, "allow-incomplete", false, "accept a live snapshot with nothing collected or a trigger service not read (exit 2 otherwise)")
	fl.IntVar(&f.depth, "depth", 4, "longest chain to report, in functions")
	fl.StringVar(&f.orgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	return cmd
}

func runDiff(cmd *cobra.Command, f *diffFlags, args []string) error {
	switch {
	case f.gitBase != "" && len(args) != 1:
		return &exitError{code: 2, msg: "with --git-base, give HEAD alone"}
	case f.gitBase == "" && len(args) != 2:
		return &exitError{code: 2, msg: "give BASE and HEAD, or --git-base REF and HEAD"}
	}
	if f.depth < 1 {
		return &exitError{code: 2, msg: fmt.Sprintf("--depth %d: want at least 1 (functions in the longest chain)", f.depth)}
	}
	gateClasses, err := diff.ParseClasses(f.failOnNew)
	if err != nil {
		return &exitError{code: 2, msg: "--fail-on-new " + err.Error()}
	}
	format, err := lookupFormat(report.Diff, f.format)
	if err != nil {
		return err
	}
	f.failOn, f.ruleTimeout, f.ruleMemoryMiB = "none", rules.DefaultTimeout, rules.DefaultMemory>>20
	judgeOpts, err := f.findingsFlags.options(cmd)
	if err != nil {
		return err
	}
	head := args[len(args)-1]
	base := ""
	baseLoad := f.inventoryFlags.loadOptions(cmd)
	if f.gitBase != "" {
		tree, err := gitrev.Checkout(cmd.Context(), head, f.gitBase)
		if err != nil {
			return &exitError{code: 2, msg: "--git-base: " + err.Error()}
		}
		defer tree.Remove()
		base = tree.Path
		if baseLoad.Root != "" {
			// The revision is confined to its own repository tree.
			baseLoad.Root = tree.Root
		}
	} else {
		base = args[0]
	}
	run := func(path string, load pipeline.LoadOptions) (*pipeline.Result, error) {
		res, err := pipeline.Run(cmd.Context(), pipeline.Options{
			Paths: []string{path}, Load: load, MaxDepth: f.depth, OrgID: f.orgID, Judge: judgeOpts,
			AllowIncomplete: f.allowIncomplete,
		})
		stderr := cmd.ErrOrStderr()
		if res != nil && res.Inventory != nil {
			if n := report.Diagnostics(stderr, res.Inventory); n > 0 && err == nil {
				err = partialInput(n)
			}
		}
		if err != nil {
			return nil, inputErr(fmt.Errorf("%s: %w", path, err))
		}
		if res.Refusal != nil {
			// No gate passes on a live inventory that misses what flows
			// come from.
			return nil, &exitError{code: 2, msg: fmt.Sprintf("%s: %v", path, res.Refusal)}
		}
		return res, nil
	}
	baseRes, err := run(base, baseLoad)
	if err != nil {
		return err
	}
	headRes, err := run(head, f.inventoryFlags.loadOptions(cmd))
	if err != nil {
		return err
	}
	d := diff.Compare(
		diff.Side{Flows: baseRes.Flows, Findings: baseRes.Judgement.Findings},
		diff.Side{Flows: headRes.Flows, Findings: headRes.Judgement.Findings},
	)
	newFindings := make([]rules.Finding, len(d.New))
	for i, c := range d.New {
		newFindings[i] = c.Finding
	}
	j := headRes.Judgement
	findings := report.NewFindings(newFindings, j.Rules, j.Threshold, j.Input, j.SourceDir, version)
	err = writeOutput(cmd, f.output, func(out io.Writer) error {
		bw := bufio.NewWriterSize(out, 1<<16)
		err := format.Write(bw, &report.Report{Diff: d, Findings: findings, Gate: gateClasses})
		if ferr := bw.Flush(); err == nil && ferr != nil {
			err = &exitError{code: 2, msg: fmt.Sprintf("write output: %v", ferr)}
		}
		return err
	})
	if err != nil {
		return err
	}
	if v := d.Violations(gateClasses); len(v) > 0 {
		lines := make([]string, len(v))
		for i, x := range v {
			lines[i] = fmt.Sprintf("  %s: %s", x.Class, x.What)
		}
		return &exitError{code: 1, msg: fmt.Sprintf("%d change(s) refused by --fail-on-new %s:\n%s", len(v), f.failOnNew, strings.Join(lines, "\n"))}
	}
	return nil
}
