package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

type rulesFlags struct {
	policies []string
	format   string
	output   string
}

func newRulesCommand() *cobra.Command {
	f := &rulesFlags{}
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the built-in and loaded Rego rules; `rules test` runs Rego unit tests",
		Long: `rules lists every rule lambdacheck evaluates: the built-in set embedded in
the binary and, with --policy DIR (repeatable), your own rules. Each rule is a
Rego v1 package lambdacheck.rules.<short_code> with a # METADATA annotation
(title, description, custom.id, custom.short_code, custom.severity,
custom.remediation) and a deny set of findings.

--format markdown prints the rule table of the README.`,
		Example: `  lambdacheck rules
  lambdacheck rules --policy ./policies-acme --format json
  lambdacheck rules test ./policies-acme`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runRulesList(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.policies, "policy", nil, "load rules from `DIR` too (repeatable)")
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table, json or markdown")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of standard output")
	cmd.AddCommand(newRulesTestCommand())
	return cmd
}

func runRulesList(cmd *cobra.Command, f *rulesFlags) error {
	format, err := lookupFormat(report.RuleList, f.format)
	if err != nil {
		return err
	}
	eng, err := rules.Load(cmd.Context(), pipeline.RuleOptions(f.policies))
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	return writeOutput(cmd, f.output, func(out io.Writer) error {
		return format.Write(out, &report.Report{Rules: eng.Rules()})
	})
}

type rulesTestFlags struct {
	run     string
	format  string
	verbose bool
}

func newRulesTestCommand() *cobra.Command {
	f := &rulesTestFlags{}
	cmd := &cobra.Command{
		Use:   "test [DIR…]",
		Short: "Run the Rego unit tests (test_ rules in *_test.rego) of rule directories",
		Long: `test compiles the .rego files under each DIR (rules and their _test.rego
files) and runs every test_ rule with OPA's tester built into lambdacheck, so
no opa binary is needed. The built-in rules and their helper package
(data.lambdacheck.lib) are loaded too, as in simulate. Without DIR it runs the
tests of the built-in rules.

Exit status: 0 when every test passes, 1 when one fails, 2 when a file does not
compile (the error names file and line).`,
		Example: `  lambdacheck rules test ./policies-acme
  lambdacheck rules test ./policies-acme --run public -v`,
		RunE: func(cmd *cobra.Command, args []string) error { return runRulesTest(cmd, f, args) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.run, "run", "", "run only tests whose package.name matches this regular expression")
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table or json")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "list passing tests too")
	return cmd
}

func runRulesTest(cmd *cobra.Command, f *rulesTestFlags, dirs []string) error {
	format, err := lookupFormat(report.RuleTests, f.format)
	if err != nil {
		return err
	}
	var mods []rules.Module
	if len(dirs) == 0 {
		builtin, err := rules.ReadModules(pipeline.RuleOptions(nil), true)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		mods = builtin
	} else {
		// The built-in rules and helpers (without their tests) load too, so
		// custom rules may import data.lambdacheck.lib as in simulate.
		builtin, err := rules.ReadModules(pipeline.RuleOptions(nil), false)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		user, err := rules.ReadModules(rules.Options{Dirs: dirs}, true)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		mods = append(builtin, user...)
	}
	res, err := rules.RunTests(cmd.Context(), mods, f.run)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if err := format.Write(cmd.OutOrStdout(), &report.Report{RuleTests: res, Verbose: f.verbose}); err != nil {
		return err
	}
	failed := 0
	for _, r := range res {
		if !r.Pass && !r.Skip {
			failed++
		}
	}
	if len(res) == 0 {
		return &exitError{code: 1, msg: "no test_ rules found"}
	}
	if failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d Rego test(s) failed", failed)}
	}
	return nil
}

// findingsFlags are the rule-related flags of commands that judge flows.
type findingsFlags struct {
	failOn        string
	policies      []string
	baseline      string
	writeBaseline string
	config        string
	today         string
	// noInlineWaivers ignores lambdacheck:ignore comments: on a pull
	// request they are written by the change being judged.
	noInlineWaivers bool
	ruleTimeout     time.Duration
	ruleMemoryMiB   int64
}

func (ff *findingsFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&ff.failOn, "fail-on", "high", "exit 1 when an unwaived finding reaches this `severity`: critical, high, medium, low or none (fail_on in the settings changes the default; given here, it always wins)")
	fl.StringArrayVar(&ff.policies, "policy", nil, "load rules from `DIR` too (repeatable)")
	fl.DurationVar(&ff.ruleTimeout, "rule-timeout", rules.DefaultTimeout, "stop evaluating the rules after `DURATION` (exit 2)")
	fl.Int64Var(&ff.ruleMemoryMiB, "rule-memory", rules.DefaultMemory>>20, "stop evaluating the rules once they have grown the heap by `MIB` mebibytes (exit 2)")
	fl.StringVar(&ff.baseline, "baseline", "", "accept the findings recorded in `FILE`; only new findings count")
	fl.StringVar(&ff.writeBaseline, "write-baseline", "", "record the current findings in `FILE` as accepted (then they do not fail this run)")
	fl.StringVar(&ff.config, "config", "", "settings `FILE`, e.g. the base branch's copy; any .lambdacheck.hcl in PATH or the working directory is then ignored (default: that file)")
	fl.BoolVar(&ff.noInlineWaivers, "no-inline-waivers", false, "ignore # lambdacheck:ignore comments in the HCL (waivers in --config and --baseline still apply)")
	fl.StringVar(&ff.today, "today", "", "judge date-dependent rules and waiver expiry as of this `YYYY-MM-DD` (default today, UTC)")
}

// options checks the findings flags and turns them into the pipeline's
// judging options.
func (ff *findingsFlags) options(cmd *cobra.Command) (*pipeline.JudgeOptions, error) {
	o := &pipeline.JudgeOptions{
		Policies:        ff.policies,
		Config:          ff.config,
		FailOn:          ff.failOn,
		FailOnExplicit:  cmd.Flags().Changed("fail-on"),
		Timeout:         ff.ruleTimeout,
		NoInlineWaivers: ff.noInlineWaivers,
		Baseline:        ff.baseline,
		WriteBaseline:   ff.writeBaseline,
	}
	if ff.today != "" {
		day, err := time.Parse(time.DateOnly, ff.today)
		if err != nil {
			return nil, &exitError{code: 2, msg: fmt.Sprintf("--today %q: want YYYY-MM-DD", ff.today)}
		}
		o.Today = day
	}
	if ff.ruleTimeout <= 0 {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("--rule-timeout %s: want a positive duration", ff.ruleTimeout)}
	}
	if ff.ruleMemoryMiB <= 0 || ff.ruleMemoryMiB > 1<<30 {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("--rule-memory %d: want a positive number of MiB", ff.ruleMemoryMiB)}
	}
	o.Memory = ff.ruleMemoryMiB << 20
	return o, nil
}

// gate is the exit status of a judged run: exit 1 when an unwaived finding
// reaches the threshold.
func gate(j *pipeline.Judgement) error {
	failing := j.Failing()
	if len(failing) == 0 {
		return nil
	}
	counts := map[rules.Severity]int{}
	for _, f := range failing {
		counts[f.Severity]++
	}
	var parts []string
	for _, s := range rules.Severities {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return &exitError{code: 1, msg: fmt.Sprintf("%d finding(s) at or above --fail-on %s (%s)", len(failing), j.Threshold, strings.Join(parts, ", "))}
}

// colorOK reports whether w is a terminal and NO_COLOR is unset or empty
// (https://no-color.org).
func colorOK(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
