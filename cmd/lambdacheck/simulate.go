package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lambdacheck/lambdacheck/analyzer/awsapi"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/simulator/eventtrace"
)

type simulateFlags struct {
	load            pipeline.LoadOptions
	judge           pipeline.JudgeSettings
	format, output  string
	depth           int
	orgID           string
	regions         []string
	aws             bool
	live            awsapi.AccountsOptions // with --aws
	quiet           bool
	event           eventtrace.Input
	allowIncomplete bool
	view            string
}

func newSimulateCommand() *cobra.Command {
	f := &simulateFlags{}
	cmd := &cobra.Command{
		Use:   "simulate [PATH...] [--aws]",
		Short: "Simulate every trigger → invoke → resource-access flow of an application",
		Long: `simulate loads PATH (a Terraform directory or a snapshot; several paths, e.g.
the snapshots of several accounts, are merged; default: the current directory;
"-" reads a snapshot from standard input) and, with --aws, reads the live
account as collect does, then decides every flow with the IAM engine:

  invocation flows   each trigger and function URL → its function: is the trigger
                     enabled, may the source invoke the exact qualifier it targets
                     (resource policy, invoker role, or the execution role's reads on
                     a polled source), may Lambda assume the execution role;
  access flows       what each function's role can do to every known resource and
                     beyond the inventory, by access level, through identity
                     policies, boundary, SCPs and the resource's own policy, and its
                     destinations and dead-letter targets;
  reach              who outside can invoke each function or assume its role;
  chains             multi-hop paths (a function writing to a source that triggers
                     another) and invocation loops.

Each step carries its decision (allowed, conditional, denied, unknown) and the
statements that decided it. Then the Rego rules (built-in, plus --policy DIR)
judge the inventory and the flows; findings can be waived inline
(# lambdacheck:ignore:LC004 reason, on the HCL block), in .lambdacheck.hcl, or
accepted in a --baseline file. On a pull request from a fork, take the settings
from the base branch with --config FILE (the in-tree file is then ignored),
pass --fail-on explicitly (it wins over fail_on in any file), and add
--no-inline-waivers.

Formats: table (flows and findings), json (flows, findings, unknowns), and the
findings alone as sarif (code scanning), junit, markdown (PR comments) or
codequality (GitLab merge requests) or gitlab-sast (GitLab security reports).

A live inventory (collect, --aws) records what it could not read: the flows
that depend on it are unknown, naming the missing action, and an inventory
with nothing collected or with a trigger service not read fails with exit 2
unless --allow-incomplete, so a gate never passes on missing data.

Exit status: 1 when an unwaived finding reaches --fail-on (default high), 2 on
usage or input errors (including a rule that does not compile, and an
incomplete live inventory as above), 0 otherwise.`,
		Example: `  lambdacheck simulate fixtures/thumbnails
  lambdacheck inventory infra/ --format json | lambdacheck simulate -
  lambdacheck simulate infra/ --format json > flows.json
  lambdacheck simulate prod-a.json prod-b.json    # snapshots of two accounts
  lambdacheck simulate --aws --profile audit --region eu-west-1
  lambdacheck simulate infra/ --format sarif --output lambdacheck.sarif --fail-on critical
  lambdacheck simulate infra/ --write-baseline .lambdacheck-baseline.json
  lambdacheck simulate infra/ --baseline .lambdacheck-baseline.json --policy policies-acme/
  lambdacheck simulate . --fail-on high --config "$BASE/.lambdacheck.hcl" --no-inline-waivers`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runSimulate(cmd, f, args) },
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &f.load)
	fl.StringArrayVar(&f.regions, "region", nil, "AWS `REGION` where the configuration names none; with --aws, a region to read (repeatable)")
	registerOutputFlags(fl, &f.format, &f.output, "table", "table, json, sarif, junit, markdown, codequality or gitlab-sast")
	registerJudgeFlags(fl, &f.judge)
	fl.IntVar(&f.depth, "depth", 4, "longest chain to report, in functions")
	fl.StringVar(&f.orgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	fl.BoolVar(&f.aws, "aws", false, "read the live account first (as collect does) and simulate it with any PATH given")
	fl.StringVar(&f.live.Profile, "profile", "", "with --aws: shared config `PROFILE` (default: the standard credential chain)")
	fl.BoolVar(&f.live.AllRegions, "all-regions", false, "with --aws: read every region enabled for the account")
	fl.StringArrayVar(&f.live.RoleARNs, "role-arn", nil, "with --aws: assume this read-only role `ARN` first (repeatable: one account each)")
	fl.StringVar(&f.live.EndpointURL, "endpoint-url", "", "with --aws: send every API call to this `URL` (LocalStack, tests)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "table output: only the findings and the verdict; no progress on standard error")
	fl.StringVar(&f.view, "view", "", "table output: summary (one line per function), findings, flows or all (default: all; on a terminal, findings then the summary above 50 flows)")
	registerEventFlags(fl, &f.event)
	fl.BoolVar(&f.allowIncomplete, "allow-incomplete", false, "accept a live inventory with nothing collected or a trigger service not read (exit 2 otherwise)")
	return cmd
}

func runSimulate(cmd *cobra.Command, f *simulateFlags, paths []string) error {
	started := time.Now()
	if err := checkDepth(f.depth); err != nil {
		return err
	}
	if len(paths) == 0 && !f.aws {
		paths = pipeline.DefaultPaths(paths)
	}
	if f.event.File == "-" && slices.Contains(paths, pipeline.StdinPath) {
		return errors.New("--event - and the path - both read standard input: give one of them as a file")
	}
	if !f.aws {
		if f.live.Profile != "" || f.live.AllRegions || len(f.live.RoleARNs) > 0 || f.live.EndpointURL != "" {
			return errors.New("--profile, --all-regions, --role-arn and --endpoint-url go with --aws")
		}
		if len(f.regions) > 1 {
			return errors.New("--region names one default region for Terraform; several go with --aws")
		}
		if len(f.regions) == 1 {
			f.load.Region = f.regions[0]
		}
	}
	format, err := lookupFormat(report.Run, f.format)
	if err != nil {
		return err
	}
	if err := setView(cmd, format, f); err != nil {
		return err
	}
	f.judge.FailOnExplicit = cmd.Flags().Changed("fail-on")
	judgeOpts, err := f.judge.Options()
	if err != nil {
		return err
	}
	opts := pipeline.Options{
		Paths: paths, Load: withStdin(cmd, f.load), MaxDepth: f.depth, OrgID: f.orgID, Judge: judgeOpts,
		AllowIncomplete: f.allowIncomplete,
	}
	if f.aws {
		opts.Live = func(context.Context) (*inventory.Inventory, error) {
			if f.live.AllRegions && len(f.regions) > 0 {
				return nil, errors.New("--region and --all-regions exclude each other")
			}
			live := f.live
			live.Regions, live.Concurrency, live.MaxRetries, live.CallTimeout = f.regions, 16, awsapi.DefaultMaxRetries, defaultCallTimeout
			return collectLive(cmd, live, f.quiet)
		}
	}
	if p, ok := format.(report.FlowPreparer); ok {
		// The flow tables do not depend on the findings: they are laid
		// out while the rules run (on a large estate each takes most of a
		// second).
		opts.WhileJudging = p.PrepareFlows
	}
	if f.event.Given() {
		return runEventTrace(cmd, f, opts)
	}
	stderr := cmd.ErrOrStderr()
	// Progress on a terminal, unless asked to be quiet; a live collection
	// draws its own.
	prog := report.NewStageProgress(stderr, !f.quiet && !f.aws && report.IsTerminal(stderr))
	if prog != nil {
		opts.Progress = prog.Update
	}
	res, err := pipeline.Run(cmd.Context(), opts)
	prog.Finish()
	loadErrs, err := shown(cmd, res, err, true)
	if err != nil {
		return err
	}
	j := res.Judgement
	findings := report.NewFindings(j.Findings, j.Rules, j.Threshold, j.Input, j.SourceDir, version)
	findings.Started, findings.Finished = started, time.Now()
	err = report.Output(cmd.OutOrStdout(), f.output, func(out io.Writer) error {
		findings.Color = f.format == "table" && f.output == "" && report.ColorOK(cmd.OutOrStdout())
		return format.Write(out, &report.Report{Inventory: res.Inventory, Flows: res.Flows, Findings: findings})
	})
	switch {
	case err != nil:
		return err
	case res.Refusal != nil:
		return res.Refusal
	case loadErrs > 0:
		return partialInput(loadErrs)
	}
	// A broken trigger is the broken-trigger rule's finding now: the gate
	// is the findings' severity against --fail-on.
	return failed(j.Gate())
}

// checkDepth checks --depth.
func checkDepth(depth int) error {
	if depth < 1 {
		return fmt.Errorf("--depth %d: want at least 1 (functions in the longest chain)", depth)
	}
	return nil
}

// setView selects the table view: --view, else the findings alone with
// --quiet, else on a terminal the view that summarises a large estate, else
// everything (what scripts, CI logs and the tests have always read).
func setView(cmd *cobra.Command, format report.Format, f *simulateFlags) error {
	viewer, ok := format.(report.Viewer)
	if !ok {
		if f.view != "" {
			return errors.New("--view goes with --format table")
		}
		return nil
	}
	switch {
	case f.view != "":
		if f.quiet {
			return errors.New("--view and --quiet exclude each other")
		}
		v, err := report.ParseTableView(f.view)
		if err != nil {
			return errors.New("--" + err.Error())
		}
		viewer.SetView(v)
	case f.quiet:
		viewer.SetView(report.ViewFindings)
	case f.output == "" && report.IsTerminal(cmd.OutOrStdout()):
		viewer.SetView(report.ViewAuto)
	default:
		viewer.SetView(report.ViewAll)
	}
	return nil
}

// registerJudgeFlags adds the rule-related flags of commands that judge
// flows.
func registerJudgeFlags(fl *pflag.FlagSet, s *pipeline.JudgeSettings) {
	fl.StringVar(&s.FailOn, "fail-on", "high", "exit 1 when an unwaived finding reaches this `severity`: critical, high, medium, low or none (fail_on in the settings changes the default; given here, it always wins)")
	fl.StringArrayVar(&s.Policies, "policy", nil, "load rules from `DIR` too (repeatable)")
	fl.DurationVar(&s.Timeout, "rule-timeout", rules.DefaultTimeout, "stop evaluating the rules after `DURATION` (exit 2)")
	fl.Int64Var(&s.MemoryMiB, "rule-memory", rules.DefaultMemory>>20, "stop evaluating the rules once they have grown the heap by `MIB` mebibytes (exit 2)")
	fl.StringVar(&s.Baseline, "baseline", "", "accept the findings recorded in `FILE`; only new findings count")
	fl.StringVar(&s.WriteBaseline, "write-baseline", "", "record the current findings in `FILE` as accepted (then they do not fail this run)")
	fl.StringVar(&s.Config, "config", "", "settings `FILE`, e.g. the base branch's copy; any .lambdacheck.hcl in PATH or the working directory is then ignored (default: that file)")
	fl.BoolVar(&s.NoInlineWaivers, "no-inline-waivers", false, "ignore # lambdacheck:ignore comments in the HCL (waivers in --config and --baseline still apply)")
	fl.StringVar(&s.Today, "today", "", "judge date-dependent rules and waiver expiry as of this `YYYY-MM-DD` (default today, UTC)")
}
