package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/awsapi"
	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

type collectFlags struct {
	profile     string
	regions     []string
	allRegions  bool
	roleARNs    []string
	endpoint    string
	output      string
	quiet       bool
	printPolicy bool
	concurrency int
	maxRetries  int
	callTimeout time.Duration
}

// defaultCallTimeout bounds one API call with its retries: long enough
// for a throttled call's backoff, short enough that an endpoint that never
// answers is recorded as failed and the collection goes on.
const defaultCallTimeout = 2 * time.Minute

func newCollectCommand() *cobra.Command {
	f := &collectFlags{}
	cmd := &cobra.Command{
		Use:   "collect",
		Short: "Read a live AWS account into a snapshot file",
		Long: `collect reads Lambda functions, their roles, resource policies, triggers and
the resources flows touch from a live AWS account (standard credential chain,
or --profile) into a snapshot that every other command accepts as input.

It only reads: every API client refuses any operation that is not a Get, List
or Describe call the collector declares. --print-required-policy prints the
IAM policy those calls need. A call that is denied, that fails after its
retries (--max-retries, --call-timeout), or whose item was deleted meanwhile
(and a region that is not enabled) is recorded in the snapshot's warnings
and coverage, the items it would have filled are marked unknown, and
collection goes on; simulate then shows the flows that depend on it as
unknown, and refuses a snapshot missing a whole trigger service unless
--allow-incomplete. Environment variable values are never stored; keys are,
with a flag when a value looks secret.

--role-arn assumes a (read-only) role first; repeat it to read several
accounts into one merged snapshot, so flows between them are simulated.
Ctrl-C stops cleanly: no snapshot is written, not even a partial one.`,
		Example: `  lambdacheck collect --region eu-west-1 -o prod.json
  lambdacheck collect --profile audit --all-regions -o audit.json
  lambdacheck collect --role-arn arn:aws:iam::111111111111:role/lambdacheck-readonly --region us-east-1 -o a.json
  lambdacheck collect --print-required-policy > lambdacheck-readonly.json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error { return runCollect(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.profile, "profile", "", "shared config profile (default: the standard credential chain)")
	fl.StringArrayVar(&f.regions, "region", nil, "region to read (repeatable; default: the profile's or AWS_REGION)")
	fl.BoolVar(&f.allRegions, "all-regions", false, "read every region enabled for the account")
	fl.StringArrayVar(&f.roleARNs, "role-arn", nil, "assume this read-only role first (repeatable: one account each)")
	fl.StringVar(&f.endpoint, "endpoint-url", "", "send every API call to this endpoint (LocalStack, tests)")
	fl.StringVarP(&f.output, "output", "o", "", "write the snapshot to FILE instead of standard output")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress and no summary on standard error")
	fl.BoolVar(&f.printPolicy, "print-required-policy", false, "print the read-only IAM policy collect needs, and exit")
	fl.IntVar(&f.concurrency, "concurrency", 16, "API requests in flight at most")
	fl.IntVar(&f.maxRetries, "max-retries", awsapi.DefaultMaxRetries, "retries of a throttled or failing API call before it is recorded as failed")
	fl.DurationVar(&f.callTimeout, "call-timeout", defaultCallTimeout, "time one API call may take, retries included, before it is recorded as failed")
	return cmd
}

func runCollect(cmd *cobra.Command, f *collectFlags) error {
	if f.printPolicy {
		_, err := cmd.OutOrStdout().Write(awsapi.RequiredPolicy())
		return err
	}
	if f.concurrency < 1 {
		return &exitError{code: 2, msg: "--concurrency must be at least 1"}
	}
	if f.maxRetries < 0 {
		return &exitError{code: 2, msg: "--max-retries must be 0 or more"}
	}
	if f.callTimeout <= 0 {
		return &exitError{code: 2, msg: "--call-timeout must be positive"}
	}
	if f.allRegions && len(f.regions) > 0 {
		return &exitError{code: 2, msg: "--region and --all-regions exclude each other"}
	}
	inv, err := collectLive(cmd, f)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	if err := writeSnapshot(cmd.OutOrStdout(), f.output, inv); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if f.quiet {
		report.CollectQuiet(stderr, inv)
		return nil
	}
	return report.CollectSummary(stderr, inv)
}

// collectLive reads the accounts f names (one per --role-arn, merged) with
// progress on stderr unless quiet. Ctrl-C cancels it: nothing is returned.
func collectLive(cmd *cobra.Command, f *collectFlags) (*inventory.Inventory, error) {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var prog *report.Progress
	if !f.quiet {
		prog = report.NewProgress(cmd.ErrOrStderr(), isTerminal(cmd.ErrOrStderr()))
	}
	roles := f.roleARNs
	if len(roles) == 0 {
		roles = []string{""}
	}
	var invs []*inventory.Inventory
	for _, role := range roles {
		home := ""
		if len(f.regions) > 0 {
			home = f.regions[0]
		}
		cfg, err := awsapi.LoadConfig(ctx, awsapi.ConfigOptions{Profile: f.profile, Region: home, RoleARN: role, EndpointURL: f.endpoint, MaxRetries: f.maxRetries})
		if err != nil {
			return nil, &exitError{code: 2, msg: err.Error()}
		}
		opts := awsapi.Options{Regions: f.regions, AllRegions: f.allRegions, Concurrency: f.concurrency, Catalog: awsref.Default(), CallTimeout: f.callTimeout}
		if prog != nil {
			opts.Progress = prog
		}
		inv, err := awsapi.Collect(ctx, cfg, opts)
		if prog != nil {
			prog.Stop()
		}
		if err != nil {
			if errors.Is(err, context.Canceled) || ctx.Err() != nil {
				return nil, &exitError{code: 130, msg: "interrupted: no snapshot written"}
			}
			if role != "" {
				err = fmt.Errorf("%s: %w", role, err)
			}
			return nil, &exitError{code: 2, msg: "collect: " + err.Error()}
		}
		invs = append(invs, inv)
	}
	return mergeInputs(invs)
}

// writeSnapshot writes to stdout, or to a file through a temporary file
// renamed into place, so an interrupted write never leaves a partial
// snapshot under the name asked for.
func writeSnapshot(stdout io.Writer, path string, inv *inventory.Inventory) error {
	if path == "" {
		return inventory.Write(stdout, inv)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := inventory.Write(tmp, inv); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
