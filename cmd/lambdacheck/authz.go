package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/batch"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/casebuild"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

func newAuthzCommand() *cobra.Command {
	var s casebuild.Spec
	var jsonl bool
	var workers int
	var format string
	cmd := &cobra.Command{
		Use:   "authz",
		Short: "Decide one IAM request against given policies, with the deciding statements",
		Long: `authz evaluates one request (principal, action, resource, context) against
identity policies, a resource-based policy, permissions boundaries, session
policies, SCPs and RCPs, following AWS's policy evaluation logic, and prints
the decision with the statements that made it.

The request comes from flags, or from --file in the batch-case JSON shape.
--jsonl reads one case per line on stdin and writes one decision per line.`,
		Example: `  lambdacheck authz --file fixtures/authz/s3-cross-account.json
  lambdacheck authz --principal arn:aws:iam::111111111111:role/app \
      --action s3:GetObject --resource arn:aws:s3:::bucket/key \
      --identity-policy role.json --resource-policy bucket.json
  lambdacheck authz --jsonl < cases.jsonl`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if jsonl {
				// Batch mode allocates short-lived trees per line and keeps
				// little alive: a lazier collector trades ~20 MB of heap for
				// a fifth less CPU.
				defer debug.SetGCPercent(debug.SetGCPercent(400))
				stats, err := batch.Run(cmd.Context(), cmd.InOrStdin(), out, batch.Options{Workers: workers, Lenient: s.Lenient})
				if err != nil {
					return err
				}
				return stats.Err()
			}
			f, err := report.Lookup(report.Authz, format)
			if err != nil {
				return fmt.Errorf("--format must be table or json, got %q", format)
			}
			c, err := s.Case()
			if err != nil {
				return err
			}
			res := c.Authorize()
			return f.Write(out, &report.Report{Decision: &report.Decision{Case: c, Result: &res}})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&s.File, "file", "", "a case in the batch JSON shape (request plus policies)")
	fl.BoolVar(&jsonl, "jsonl", false, "batch mode: one case per stdin line, one decision per stdout line")
	fl.IntVar(&workers, "workers", 0, "batch mode: parallel workers (default: one per CPU)")
	fl.StringVar(&s.Principal, "principal", "", "principal ARN (user, role, assumed-role session), account id, or service principal")
	fl.StringVar(&s.Action, "action", "", "action, e.g. s3:GetObject")
	fl.StringVar(&s.Resource, "resource", "*", "resource ARN, or * for actions without resource-level permissions")
	fl.StringVar(&s.ResourceAccount, "resource-account", "", "account owning the resource (default: from the ARN, else the principal's)")
	fl.StringArrayVar(&s.Context, "context", nil, "context key=value; repeat a key for a multi-valued key")
	fl.StringArrayVar(&s.Unknown, "unknown", nil, "context key whose value is unknown (the decision may become Conditional)")
	fl.StringArrayVar(&s.Identity, "identity-policy", nil, "identity policy JSON file (repeatable)")
	fl.StringVar(&s.ResourcePolicy, "resource-policy", "", "resource-based policy JSON file (bucket, function, queue, key, trust …)")
	fl.StringArrayVar(&s.Boundary, "boundary", nil, "permissions boundary JSON file (repeatable)")
	fl.StringArrayVar(&s.Session, "session-policy", nil, "session policy JSON file (repeatable)")
	fl.StringArrayVar(&s.SCP, "scp", nil, "SCP level: a JSON file, or comma-separated files attached at one level; repeat per level, root first")
	fl.StringArrayVar(&s.RCP, "rcp", nil, "RCP level, as --scp")
	fl.BoolVar(&s.ManagementAccount, "management-account", false, "the principal belongs to the organization's management account (SCPs do not apply)")
	fl.StringVarP(&format, "format", "f", "table", "output format: table or json")
	fl.BoolVar(&s.Lenient, "lenient", false, "decide policies that AWS refuses when they are written (duplicate Sids, partial principal wildcards, …) as AWS would if they existed, for comparing with other engines")
	return cmd
}
