package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/awsapi"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

func newCollectCommand() *cobra.Command {
	o := awsapi.DefaultAccountsOptions()
	var output string
	var quiet, printPolicy bool
	cmd := &cobra.Command{
		Use:   "collect",
		Short: "Read a live AWS account into a snapshot file",
		Long: `collect reads Lambda functions, their roles, policies, triggers and the
resources flows touch from a live AWS account into a snapshot every command
accepts as input. It only reads (--print-required-policy prints the policy it
needs); a call denied or failing is recorded in the snapshot's coverage and
what it would have filled is unknown. --role-arn (repeatable) reads several
accounts into one snapshot. Ctrl-C writes no snapshot.`,
		Example: `  lambdacheck collect --region eu-west-1 -o prod.json
  lambdacheck collect --print-required-policy > lambdacheck-readonly.json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if printPolicy {
				_, err := cmd.OutOrStdout().Write(awsapi.RequiredPolicy())
				return err
			}
			inv, err := collectLive(cmd, o, quiet)
			if err != nil {
				return err
			}
			if err := inventory.Save(cmd.OutOrStdout(), output, inv); err != nil {
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
	fl.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "API requests in flight at most")
	fl.IntVar(&o.MaxRetries, "max-retries", awsapi.DefaultMaxRetries, "retries of a throttled or failing API call before it is recorded as failed")
	fl.DurationVar(&o.CallTimeout, "call-timeout", awsapi.DefaultCallTimeout, "time one API call may take, retries included, before it is recorded as failed")
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
	return awsapi.CollectAccounts(ctx, o)
}
