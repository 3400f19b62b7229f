package main

import (
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
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/simulator/eventtrace"
)

type simulateFlags struct {
	run                  pipeline.Options // Load, MaxDepth, OrgID, AllowIncomplete
	judge                pipeline.JudgeSettings
	format, output, view string
	aws, quiet           bool
	live                 awsapi.AccountsOptions // with --aws
	event                eventtrace.Input
}

func newSimulateCommand() *cobra.Command {
	f := &simulateFlags{live: awsapi.DefaultAccountsOptions()}
	cmd := &cobra.Command{
		Use:   "simulate [PATH...] [--aws]",
		Short: "Simulate every trigger → invoke → resource-access flow of an application",
		Long: `simulate loads PATH (default "."; several are merged; "-" reads a snapshot
from standard input) and with --aws the live account, decides every flow with
the IAM engine (invocations, access, reach from outside, chains; see
docs/flows.md), each step with its decision and the statements that decided
it, and judges the inventory and the flows with the Rego rules (built-in, plus
--policy DIR). On a pull request from a fork, pass --config (the base branch's
settings), --fail-on and --no-inline-waivers.

Exit status: 1 when an unwaived finding reaches --fail-on, 2 on usage or
input errors (a rule that does not compile, an incomplete live inventory
without --allow-incomplete), 0 otherwise.`,
		Example: `  lambdacheck simulate fixtures/thumbnails
  lambdacheck simulate --aws --profile audit --region eu-west-1
  lambdacheck simulate infra/ --format sarif --output lambdacheck.sarif --fail-on critical`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runSimulate(cmd, f, args) },
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &f.run.Load)
	fl.StringArrayVar(&f.live.Regions, "region", nil, "AWS `REGION` where the configuration names none; with --aws, a region to read (repeatable)")
	registerOutputFlags(fl, &f.format, &f.output, "table", "table, json, sarif, junit, markdown, codequality or gitlab-sast")
	fl.StringVar(&f.judge.FailOn, "fail-on", "high", "exit 1 when an unwaived finding reaches this `severity`: critical, high, medium, low or none (fail_on in the settings changes the default; given here, it always wins)")
	fl.StringArrayVar(&f.judge.Policies, "policy", nil, "load rules from `DIR` too (repeatable)")
	fl.DurationVar(&f.judge.Timeout, "rule-timeout", rules.DefaultTimeout, "stop evaluating the rules after `DURATION` (exit 2)")
	fl.Int64Var(&f.judge.MemoryMiB, "rule-memory", rules.DefaultMemory>>20, "stop evaluating the rules once they have grown the heap by `MIB` mebibytes (exit 2)")
	fl.StringVar(&f.judge.Baseline, "baseline", "", "accept the findings recorded in `FILE`; only new findings count")
	fl.StringVar(&f.judge.WriteBaseline, "write-baseline", "", "record the current findings in `FILE` as accepted (then they do not fail this run)")
	fl.StringVar(&f.judge.Config, "config", "", "settings `FILE`, e.g. the base branch's copy; any .lambdacheck.hcl in PATH or the working directory is then ignored (default: that file)")
	fl.BoolVar(&f.judge.NoInlineWaivers, "no-inline-waivers", false, "ignore # lambdacheck:ignore comments in the HCL (waivers in --config and --baseline still apply)")
	fl.StringVar(&f.judge.Today, "today", "", "judge date-dependent rules and waiver expiry as of this `YYYY-MM-DD` (default today, UTC)")
	fl.IntVar(&f.run.MaxDepth, "depth", 4, "longest chain to report, in functions")
	fl.StringVar(&f.run.OrgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	fl.BoolVar(&f.aws, "aws", false, "read the live account first (as collect does) and simulate it with any PATH given")
	fl.StringVar(&f.live.Profile, "profile", "", "with --aws: shared config `PROFILE` (default: the standard credential chain)")
	fl.BoolVar(&f.live.AllRegions, "all-regions", false, "with --aws: read every region enabled for the account")
	fl.StringArrayVar(&f.live.RoleARNs, "role-arn", nil, "with --aws: assume this read-only role `ARN` first (repeatable: one account each)")
	fl.StringVar(&f.live.EndpointURL, "endpoint-url", "", "with --aws: send every API call to this `URL` (LocalStack, tests)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "table output: only the findings and the verdict; no progress on standard error")
	fl.StringVar(&f.view, "view", "", "table output: summary (one line per function), findings, flows or all (default: all; on a terminal, findings then the summary above 50 flows)")
	fl.StringVar(&f.event.File, "event", "", "trace one concrete event from `FILE` (\"-\": standard input): what it triggers, what each invoked function can reach, what follows")
	fl.StringVar(&f.event.S3Event, "s3", "", "trace an S3 event of this `TYPE` (ObjectCreated:Put …) with --bucket and --key")
	fl.StringVar(&f.event.Bucket, "bucket", "", "with --s3: the bucket `NAME`")
	fl.StringVar(&f.event.Key, "key", "", "with --s3: the object `KEY`, as uploaded (it is URL-encoded as S3 does)")
	fl.StringVar(&f.event.SNSTopic, "sns-topic", "", "trace an SNS message on this topic `NAME` or ARN, with --attr")
	fl.StringArrayVar(&f.event.Attrs, "attr", nil, "with --sns-topic: a message attribute `NAME=VALUE` (a number is Number, a JSON array String.Array; repeatable)")
	fl.StringVar(&f.event.Message, "message", "", "with --sns-topic: the message `BODY` (for MessageBody filter policies)")
	fl.StringVar(&f.event.Source, "eventbridge-source", "", "trace an EventBridge event with this `SOURCE` and --detail-type")
	fl.StringVar(&f.event.DetailType, "detail-type", "", "with --eventbridge-source: the event's detail-type `TYPE`")
	fl.StringVar(&f.event.Detail, "detail", "", "with --eventbridge-source: the event's detail as `JSON`")
	fl.StringVar(&f.event.Bus, "event-bus", "default", "the EventBridge bus `NAME` the event is put on")
	fl.BoolVar(&f.run.AllowIncomplete, "allow-incomplete", false, "accept a live inventory with nothing collected or a trigger service not read (exit 2 otherwise)")
	return cmd
}

func runSimulate(cmd *cobra.Command, f *simulateFlags, paths []string) error {
	started := time.Now()
	if err := pipeline.CheckDepth(f.run.MaxDepth); err != nil {
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
		if len(f.live.Regions) > 1 {
			return errors.New("--region names one default region for Terraform; several go with --aws")
		}
		if len(f.live.Regions) == 1 {
			f.run.Load.Region = f.live.Regions[0]
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
	opts := f.run
	if opts.Judge, err = f.judge.Options(); err != nil {
		return err
	}
	opts.Paths, opts.Load = paths, withStdin(cmd, opts.Load)
	if f.aws {
		opts.Live = func(context.Context) (*inventory.Inventory, error) { return collectLive(cmd, f.live, f.quiet) }
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
	partial, err := shown(cmd, res, err, true)
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
	case partial != nil:
		return partial
	}
	return failed(j.Gate())
}

// runEventTrace prints the trace of one event instead of the flows and
// findings.
func runEventTrace(cmd *cobra.Command, f *simulateFlags, opts pipeline.Options) error {
	write, err := eventtrace.Writer(f.format, clean.Line)
	if err != nil {
		return err
	}
	var partial error
	tr, err := pipeline.Trace(cmd.Context(), opts, f.event, func(res *pipeline.Result) { partial, _ = shown(cmd, res, nil, false) })
	if err != nil {
		return err
	}
	err = report.Output(cmd.OutOrStdout(), f.output, func(out io.Writer) error {
		if err := write(out, tr); err != nil {
			return fmt.Errorf("write output: %v", err)
		}
		return nil
	})
	if err == nil {
		err = partial
	}
	return err
}
