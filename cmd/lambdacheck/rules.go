package main

import (
	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

func newRulesCommand() *cobra.Command {
	var policies []string
	var format, output string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the built-in and loaded Rego rules; `rules test` runs Rego unit tests",
		Long: `rules lists every rule lambdacheck evaluates: the built-in set and, with
--policy DIR, your own (each a Rego v1 package lambdacheck.rules.<short_code>
with a # METADATA annotation and a deny set). --format markdown prints the
README's rule table.`,
		Example: `  lambdacheck rules --policy ./policies-acme --format json`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := lookupFormat(report.RuleList, format)
			if err != nil {
				return err
			}
			list, err := pipeline.Rules(cmd.Context(), policies)
			if err != nil {
				return err
			}
			return report.Emit(cmd.OutOrStdout(), output, f, &report.Report{Rules: list})
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&policies, "policy", nil, "load rules from `DIR` too (repeatable)")
	registerOutputFlags(fl, &format, &output, "table", "table, json or markdown")
	cmd.AddCommand(newRulesTestCommand())
	return cmd
}

func newRulesTestCommand() *cobra.Command {
	var filter, format string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "test [DIR…]",
		Short: "Run the Rego unit tests (test_ rules in *_test.rego) of rule directories",
		Long: `test runs every test_ rule of the .rego files under each DIR (or of the
built-in rules) with OPA's tester, the built-in rules and their helpers
(data.lambdacheck.lib) loaded as in simulate.

Exit status: 0 when every test passes, 1 when one fails, 2 when a file does not
compile (the error names file and line).`,
		Example: `  lambdacheck rules test ./policies-acme
  lambdacheck rules test ./policies-acme --run public -v`,
		RunE: func(cmd *cobra.Command, dirs []string) error {
			f, err := lookupFormat(report.RuleTests, format)
			if err != nil {
				return err
			}
			res, err := pipeline.TestRules(cmd.Context(), dirs, filter)
			if err != nil {
				return err
			}
			if err := f.Write(cmd.OutOrStdout(), &report.Report{RuleTests: res, Verbose: verbose}); err != nil {
				return err
			}
			return failed(pipeline.RuleTestsVerdict(res))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&filter, "run", "", "run only tests whose package.name matches this regular expression")
	fl.StringVarP(&format, "format", "f", "table", "output format: table or json")
	fl.BoolVarP(&verbose, "verbose", "v", false, "list passing tests too")
	return cmd
}
