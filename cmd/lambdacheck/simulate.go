package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/awsapi"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

type simulateFlags struct {
	inventoryFlags
	findingsFlags
	depth   int
	orgID   string
	regions []string
	aws     bool
	live    collectFlags // with --aws
	event   eventFlags   // --event and its shorthands (event.go)
	// allowIncomplete accepts a live inventory that misses a whole service.
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
	registerLoadFlags(fl, &f.inventoryFlags)
	fl.StringArrayVar(&f.regions, "region", nil, "AWS `REGION` where the configuration names none; with --aws, a region to read (repeatable)")
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table, json, sarif, junit, markdown, codequality or gitlab-sast")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of standard output")
	f.findingsFlags.register(fl)
	fl.IntVar(&f.depth, "depth", 4, "longest chain to report, in functions")
	fl.StringVar(&f.orgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	fl.BoolVar(&f.aws, "aws", false, "read the live account first (as collect does) and simulate it with any PATH given")
	fl.StringVar(&f.live.profile, "profile", "", "with --aws: shared config `PROFILE` (default: the standard credential chain)")
	fl.BoolVar(&f.live.allRegions, "all-regions", false, "with --aws: read every region enabled for the account")
	fl.StringArrayVar(&f.live.roleARNs, "role-arn", nil, "with --aws: assume this read-only role `ARN` first (repeatable: one account each)")
	fl.StringVar(&f.live.endpoint, "endpoint-url", "", "with --aws: send every API call to this `URL` (LocalStack, tests)")
	fl.BoolVarP(&f.live.quiet, "quiet", "q", false, "table output: only the findings and the verdict; no progress on standard error")
	fl.StringVar(&f.view, "view", "", "table output: summary (one line per function), findings, flows or all (default: all; on a terminal, findings then the summary above 50 flows)")
	registerEventFlags(fl, &f.event)
	fl.BoolVar(&f.allowIncomplete, "allow-incomplete", false, "accept a live inventory with nothing collected or a trigger service not read (exit 2 otherwise)")
	return cmd
}

func runSimulate(cmd *cobra.Command, f *simulateFlags, paths []string) error {
	started := time.Now()
	if f.depth < 1 {
		return &exitError{code: 2, msg: fmt.Sprintf("--depth %d: want at least 1 (functions in the longest chain)", f.depth)}
	}
	if len(paths) == 0 && !f.aws {
		paths = defaultPaths(paths)
	}
	if f.event.file == "-" && slices.Contains(paths, pipeline.StdinPath) {
		return &exitError{code: 2, msg: "--event - and the path - both read standard input: give one of them as a file"}
	}
	if !f.aws {
		if f.live.profile != "" || f.live.allRegions || len(f.live.roleARNs) > 0 || f.live.endpoint != "" {
			return &exitError{code: 2, msg: "--profile, --all-regions, --role-arn and --endpoint-url go with --aws"}
		}
		if len(f.regions) > 1 {
			return &exitError{code: 2, msg: "--region names one default region for Terraform; several go with --aws"}
		}
	}
	if len(f.regions) == 1 && !f.aws {
		f.region = f.regions[0]
	}
	format, err := lookupFormat(report.Run, f.format)
	if err != nil {
		return err
	}
	if err := setView(cmd, format, f); err != nil {
		return err
	}
	judgeOpts, err := f.findingsFlags.options(cmd)
	if err != nil {
		return err
	}
	opts := pipeline.Options{
		Paths:    paths,
		Load:     f.inventoryFlags.loadOptions(cmd),
		MaxDepth: f.depth,
		OrgID:    f.orgID,
		Judge:    judgeOpts,

		AllowIncomplete: f.allowIncomplete,
	}
	if f.aws {
		opts.Live = func(context.Context) (*inventory.Inventory, error) {
			if f.live.allRegions && len(f.regions) > 0 {
				return nil, &exitError{code: 2, msg: "--region and --all-regions exclude each other"}
			}
			live := f.live
			live.regions = f.regions
			live.concurrency = 16
			live.maxRetries = awsapi.DefaultMaxRetries
			live.callTimeout = defaultCallTimeout
			return collectLive(cmd, &live)
		}
	}
	if p, ok := format.(report.FlowPreparer); ok {
		// The flow tables do not depend on the findings: they are laid
		// out while the rules run (on a large estate each takes most of a
		// second).
		opts.WhileJudging = p.PrepareFlows
	}
	if f.event.given() {
		return runEventTrace(cmd, f, opts)
	}
	stderr := cmd.ErrOrStderr()
	// Progress on a terminal, unless asked to be quiet; a live collection
	// draws its own.
	prog := newStageProgress(stderr, !f.quiet() && !f.aws && isTerminal(stderr))
	if prog != nil {
		opts.Progress = prog.Update
	}
	res, err := pipeline.Run(cmd.Context(), opts)
	prog.Finish()
	if res != nil {
		for _, n := range res.Notes {
			fmt.Fprintln(stderr, "lambdacheck: note:", n)
		}
	}
	if res == nil || res.Inventory == nil {
		return inputErr(err)
	}
	loadErrs := report.Diagnostics(stderr, res.Inventory)
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "lambdacheck: warning:", w)
	}
	for _, m := range res.Messages {
		if m.Kind != "" {
			fmt.Fprintf(stderr, "lambdacheck: %s: %s\n", m.Kind, m.Text)
		} else {
			fmt.Fprintf(stderr, "lambdacheck: %s\n", m.Text)
		}
	}
	if err != nil {
		return inputErr(err)
	}
	j := res.Judgement
	findings := report.NewFindings(j.Findings, j.Rules, j.Threshold, j.Input, j.SourceDir, version)
	findings.Started, findings.Finished = started, time.Now()
	err = writeOutput(cmd, f.output, func(out io.Writer) error {
		findings.Color = f.format == "table" && f.output == "" && colorOK(out)
		// Tables of a large estate are tens of thousands of rows, written
		// a line at a time.
		bw := bufio.NewWriterSize(out, 1<<16)
		err := format.Write(bw, &report.Report{Inventory: res.Inventory, Flows: res.Flows, Findings: findings})
		if ferr := bw.Flush(); err == nil && ferr != nil {
			err = &exitError{code: 2, msg: fmt.Sprintf("write output: %v", ferr)}
		}
		return err
	})
	if err != nil {
		return err
	}
	if res.Refusal != nil {
		return &exitError{code: 2, msg: res.Refusal.Error()}
	}
	if loadErrs > 0 {
		return partialInput(loadErrs)
	}
	// A broken trigger is the broken-trigger rule's finding now: the gate
	// is the findings' severity against --fail-on.
	return gate(j)
}

// inputErr is an error of the pipeline as the command's error: one that
// carries its exit status keeps it, any other is an input error (exit 2).
func inputErr(err error) error {
	var exit *exitError
	if errors.As(err, &exit) {
		return err
	}
	return &exitError{code: 2, msg: err.Error()}
}

// setView selects the table view: --view, else the findings alone with
// --quiet, else on a terminal the view that summarises a large estate, else
// everything (what scripts, CI logs and the tests have always read).
func setView(cmd *cobra.Command, format report.Format, f *simulateFlags) error {
	viewer, ok := format.(report.Viewer)
	if !ok {
		if f.view != "" {
			return &exitError{code: 2, msg: "--view goes with --format table"}
		}
		return nil
	}
	switch {
	case f.view != "":
		if f.quiet() {
			return &exitError{code: 2, msg: "--view and --quiet exclude each other"}
		}
		v, err := report.ParseTableView(f.view)
		if err != nil {
			return &exitError{code: 2, msg: "--" + err.Error()}
		}
		viewer.SetView(v)
	case f.quiet():
		viewer.SetView(report.ViewFindings)
	case f.output == "" && isTerminal(cmd.OutOrStdout()):
		viewer.SetView(report.ViewAuto)
	default:
		viewer.SetView(report.ViewAll)
	}
	return nil
}

func (f *simulateFlags) quiet() bool { return f.live.quiet }
