package main

import (
	"github.com/spf13/cobra"
)

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "lambdacheck",
		Short: "Simulate and check AWS Lambda permission flows",
		Long: `lambdacheck loads Lambda functions, their execution roles, resource-based
policies and triggers, decides every trigger → invoke → resource-access step
with a faithful IAM policy evaluation engine, and reports what is broken or
dangerous.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newVersionCommand())
	root.AddCommand(newAuthzCommand())
	root.AddCommand(newSimulateCommand())
	root.AddCommand(newInventoryCommand())
	root.AddCommand(newRulesCommand())
	root.AddCommand(newCollectCommand())
	root.AddCommand(newGraphCommand())
	root.AddCommand(newDiffCommand())
	root.AddCommand(newTestCommand())
	root.AddCommand(newReportCommand())
	return root
}
