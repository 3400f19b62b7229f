package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/cmd/lambdacheck/render"
	"github.com/lambdacheck/lambdacheck/cmd/lambdacheck/render/clean"
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
		Args: cobra.NoArgs,
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
	if f.format != "table" && f.format != "json" && f.format != "markdown" {
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: want table, json or markdown", f.format)}
	}
	eng, err := rules.Load(cmd.Context(), pipeline.RuleOptions(f.policies))
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	out, closeOut, err := openOutput(cmd, f.output)
	if err != nil {
		return err
	}
	defer closeOut()
	list := eng.Rules()
	switch f.format {
	case "json":
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	case "markdown":
		return rulesMarkdown(out, list)
	}
	rows := make([][]string, 0, len(list))
	for _, r := range list {
		origin := "built-in"
		if !r.Builtin {
			origin = r.File
		}
		rows = append(rows, []string{r.ID, string(r.Severity), r.ShortCode, r.Title, origin})
	}
	fmt.Fprintf(out, "Rules (%d)\n", len(rows))
	return render.Table(out, []string{"ID", "SEVERITY", "SHORT CODE", "TITLE", "FROM"}, rows)
}

// rulesMarkdown is the README's rule table: id, severity, short code and
// what the rule finds (its title and the first sentence of its description).
func rulesMarkdown(w io.Writer, list []rules.Rule) error {
	var b strings.Builder
	b.WriteString("| ID | Severity | Short code | What it finds |\n|---|---|---|---|\n")
	for _, r := range list {
		what := r.Title
		if s := firstSentence(r.Description); s != "" {
			what = "**" + r.Title + "** — " + s
		}
		// Custom rules' metadata is input: no control characters.
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s |\n", clean.Line(r.ID), clean.Line(string(r.Severity)), clean.Line(r.ShortCode), strings.ReplaceAll(clean.Line(what), "|", `\|`))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// firstSentence is the text up to the first ". " (or all of it), on one line.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// openOutput returns stdout or the --output file and its closer.
func openOutput(cmd *cobra.Command, path string) (io.Writer, func(), error) {
	if path == "" {
		return cmd.OutOrStdout(), func() {}, nil
	}
	file, err := os.Create(path)
	if err != nil {
		return nil, nil, &exitError{code: 2, msg: err.Error()}
	}
	return file, func() { file.Close() }, nil
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
	if f.format != "table" && f.format != "json" {
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: want table or json", f.format)}
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
	out := cmd.OutOrStdout()
	failed := 0
	for _, r := range res {
		if !r.Pass && !r.Skip {
			failed++
		}
	}
	if f.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if res == nil {
			res = []rules.TestResult{}
		}
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		for _, r := range res {
			switch {
			case r.Skip:
				if f.verbose {
					fmt.Fprintf(out, "SKIP  %s.%s\n", clean.Line(r.Package), clean.Line(r.Name))
				}
			case r.Pass:
				if f.verbose {
					fmt.Fprintf(out, "PASS  %s.%s (%s)\n", clean.Line(r.Package), clean.Line(r.Name), r.Duration.Round(time.Microsecond))
				}
			default:
				fmt.Fprintf(out, "FAIL  %s.%s  %s:%d: %s\n", clean.Line(r.Package), clean.Line(r.Name), clean.Line(r.File), r.Line, clean.Line(r.Error))
				if r.Output != "" {
					fmt.Fprintf(out, "      output: %s\n", clean.Text(strings.TrimSpace(r.Output)))
				}
			}
		}
		fmt.Fprintf(out, "%d passed, %d failed\n", len(res)-failed, failed)
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
}

func (ff *findingsFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&ff.failOn, "fail-on", "high", "exit 1 when an unwaived finding reaches this `severity`: critical, high, medium, low or none (fail_on in the settings changes the default; given here, it always wins)")
	fl.StringArrayVar(&ff.policies, "policy", nil, "load rules from `DIR` too (repeatable)")
	fl.DurationVar(&ff.ruleTimeout, "rule-timeout", rules.DefaultTimeout, "stop evaluating the rules after `DURATION` (exit 2)")
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
	return o, nil
}

// findingsReport is a judged run as the findings formats show it.
func findingsReport(j *pipeline.Judgement) *render.Findings {
	report := &render.Findings{
		Findings:    j.Findings,
		Rules:       j.Rules,
		Threshold:   j.Threshold,
		PathPrefix:  repoRelative(j.SourceDir),
		Source:      filepath.ToSlash(j.Input),
		ToolVersion: version,
	}
	if info, err := os.Stat(j.Input); err == nil && !info.IsDir() {
		report.FallbackPath = path.Join(repoRelative(filepath.Dir(j.Input)), filepath.Base(j.Input))
	}
	return report
}

// gate is the exit status of a judged run: exit 1 when an unwaived finding
// reaches the threshold.
func gate(r *render.Findings) error {
	failing := rules.Failing(r.Findings, r.Threshold)
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
	return &exitError{code: 1, msg: fmt.Sprintf("%d finding(s) at or above --fail-on %s (%s)", len(failing), r.Threshold, strings.Join(parts, ", "))}
}

// writeFindings prints a judged run in one of the findings formats.
func writeFindings(w io.Writer, format string, r *render.Findings) error {
	switch format {
	case "sarif":
		return render.FindingsSARIF(w, r)
	case "junit":
		return render.FindingsJUnit(w, r)
	case "markdown":
		return render.FindingsMarkdown(w, r)
	}
	return render.FindingsTable(w, r)
}

// repoRelative turns dir into a slash path relative to the enclosing git
// repository's root (or the working directory when there is none), which
// is what SARIF locations need for code scanning to annotate the files.
func repoRelative(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return filepath.ToSlash(dir)
	}
	base := ""
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			base = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if base == "" {
		if base, err = os.Getwd(); err != nil {
			return filepath.ToSlash(dir)
		}
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(dir)
	}
	return filepath.ToSlash(rel)
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
