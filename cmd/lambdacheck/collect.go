package main

import (
	"errors"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/awsapi"
	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

// defaultCallTimeout bounds one API call with its retries: long enough
// for a throttled call's backoff, short enough that an endpoint that never
// answers is recorded as failed and the collection goes on.
const defaultCallTimeout = 2 * time.Minute

func newCollectCommand() *cobra.Command {
	var o awsapi.AccountsOptions
	var output string
	var quiet, printPolicy bool
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
		RunE: func(cmd *cobra.Command, _ []string) error {
			if printPolicy {
				_, err := cmd.OutOrStdout().Write(awsapi.RequiredPolicy())
				return err
			}
			switch {
			case o.Concurrency < 1:
				return errors.New("--concurrency must be at least 1")
			case o.MaxRetries < 0:
				return errors.New("--max-retries must be 0 or more")
			case o.CallTimeout <= 0:
				return errors.New("--call-timeout must be positive")
			case o.AllRegions && len(o.Regions) > 0:
				return errors.New("--region and --all-regions exclude each other")
			}
			inv, err := collectLive(cmd, o, quiet)
			if err != nil {
				return err
			}
			if output == "" {
				err = inventory.Write(cmd.OutOrStdout(), inv)
			} else {
				err = inventory.WriteFile(output, inv)
			}
			if err != nil {
				return err
			}
			if quiet {
				report.CollectQuiet(cmd.ErrOrStderr(), inv)
				return nil
			}
			return report.CollectSummary(cmd.ErrOrStderr(), inv)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Profile, "profile", "", "shared config profile (default: the standard credential chain)")
	fl.StringArrayVar(&o.Regions, "region", nil, "region to read (repeatable; default: the profile's or AWS_REGION)")
	fl.BoolVar(&o.AllRegions, "all-regions", false, "read every region enabled for the account")
	fl.StringArrayVar(&o.RoleARNs, "role-arn", nil, "assume this read-only role first (repeatable: one account each)")
	fl.StringVar(&o.EndpointURL, "endpoint-url", "", "send every API call to this endpoint (LocalStack, tests)")
	fl.StringVarP(&output, "output", "o", "", "write the snapshot to FILE instead of standard output")
	fl.BoolVarP(&quiet, "quiet", "q", false, "no progress and no summary on standard error")
	fl.BoolVar(&printPolicy, "print-required-policy", false, "print the read-only IAM policy collect needs, and exit")
	fl.IntVar(&o.Concurrency, "concurrency", 16, "API requests in flight at most")
	fl.IntVar(&o.MaxRetries, "max-retries", awsapi.DefaultMaxRetries, "retries of a throttled or failing API call before it is recorded as failed")
	fl.DurationVar(&o.CallTimeout, "call-timeout", defaultCallTimeout, "time one API call may take, retries included, before it is recorded as failed")
	return cmd
}

// collectLive reads the accounts o names, with progress on stderr unless
// quiet. Ctrl-C cancels it: nothing is returned.
func collectLive(cmd *cobra.Command, o awsapi.AccountsOptions, quiet bool) (*inventory.Inventory, error) {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !quiet {
		o.Progress = report.NewProgress(cmd.ErrOrStderr(), report.IsTerminal(cmd.ErrOrStderr()))
	}
	o.Catalog = awsref.Default()
	return awsapi.CollectAccounts(ctx, o)
}
