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
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
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
	f := &simulateFlags{live: awsapi.DefaultAccountsOptions()}
	cmd := &cobra.Command{
		Use:   "simulate [PATH...] [--aws]",
		Short: "Simulate every trigger → invoke → resource-access flow of an application",
		Long: `simulate loads PATH (Terraform directories, plans, SAM or CloudFormation
templates, snapshots; several are merged; default "."; "-" reads a snapshot
from standard input) and, with --aws, the live account as collect reads it,
then decides every flow with the IAM engine (docs/flows.md): each trigger and
function URL invoking its function, what each function's role can access, who
outside can invoke a function or assume its role, and chains of functions.
Each step carries its decision and the statements that decided it. The Rego
rules (built-in, plus --policy DIR) then judge the inventory and the flows;
findings can be waived inline, in .lambdacheck.hcl or in a --baseline file.
On a pull request from a fork, pass --config (the base branch's settings),
--fail-on and --no-inline-waivers.

Exit status: 1 when an unwaived finding reaches --fail-on, 2 on usage or
input errors (a rule that does not compile, an incomplete live inventory
without --allow-incomplete), 0 otherwise.`,
		Example: `  lambdacheck simulate fixtures/thumbnails
  lambdacheck inventory infra/ --format json | lambdacheck simulate -
  lambdacheck simulate prod-a.json prod-b.json    # snapshots of two accounts
  lambdacheck simulate --aws --profile audit --region eu-west-1
  lambdacheck simulate infra/ --format sarif --output lambdacheck.sarif --fail-on critical
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
	if err := report.ChooseView(format, f.view, f.quiet, f.output == "" && report.IsTerminal(cmd.OutOrStdout())); err != nil {
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
			live := f.live
			live.Regions = f.regions
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

func registerEventFlags(fl *pflag.FlagSet, e *eventtrace.Input) {
	fl.StringVar(&e.File, "event", "", "trace one concrete event from `FILE` (\"-\": standard input): what it triggers, what each invoked function can reach, what follows")
	fl.StringVar(&e.S3Event, "s3", "", "trace an S3 event of this `TYPE` (ObjectCreated:Put …) with --bucket and --key")
	fl.StringVar(&e.Bucket, "bucket", "", "with --s3: the bucket `NAME`")
	fl.StringVar(&e.Key, "key", "", "with --s3: the object `KEY`, as uploaded (it is URL-encoded as S3 does)")
	fl.StringVar(&e.SNSTopic, "sns-topic", "", "trace an SNS message on this topic `NAME` or ARN, with --attr")
	fl.StringArrayVar(&e.Attrs, "attr", nil, "with --sns-topic: a message attribute `NAME=VALUE` (a number is Number, a JSON array String.Array; repeatable)")
	fl.StringVar(&e.Message, "message", "", "with --sns-topic: the message `BODY` (for MessageBody filter policies)")
	fl.StringVar(&e.Source, "eventbridge-source", "", "trace an EventBridge event with this `SOURCE` and --detail-type")
	fl.StringVar(&e.DetailType, "detail-type", "", "with --eventbridge-source: the event's detail-type `TYPE`")
	fl.StringVar(&e.Detail, "detail", "", "with --eventbridge-source: the event's detail as `JSON`")
	fl.StringVar(&e.Bus, "event-bus", "default", "the EventBridge bus `NAME` the event is put on")
}

// runEventTrace prints the trace of one event instead of the flows and
// findings.
func runEventTrace(cmd *cobra.Command, f *simulateFlags, opts pipeline.Options) error {
	if f.format != "table" && f.format != "json" {
		return fmt.Errorf("--format %q: an event trace is table or json", f.format)
	}
	loadErrs := 0
	tr, err := pipeline.Trace(cmd.Context(), opts, f.event, func(res *pipeline.Result) { loadErrs, _ = shown(cmd, res, nil, false) })
	if err != nil {
		return err
	}
	err = report.Output(cmd.OutOrStdout(), f.output, func(out io.Writer) error {
		write := eventtrace.WriteJSON
		if f.format != "json" {
			write = func(w io.Writer, t *eventtrace.Trace) error { return eventtrace.WriteTree(w, t, clean.Line) }
		}
		if err := write(out, tr); err != nil {
			return fmt.Errorf("write output: %v", err)
		}
		return nil
	})
	if err == nil && loadErrs > 0 {
		err = partialInput(loadErrs)
	}
	return err
}
