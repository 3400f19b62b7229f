package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/policies"
)

// JudgeOptions configure the rules stage.
type JudgeOptions struct {
	// Policies are directories of custom rules, loaded beside the
	// built-in set.
	Policies []string
	// Config is an explicit settings file; empty looks for
	// .lambdacheck.hcl in the input or the working directory.
	Config string
	// FailOn is the severity threshold; it wins over fail_on in the
	// settings when FailOnExplicit is set, else the settings' value wins.
	FailOn         string
	FailOnExplicit bool
	// Today dates date-dependent rules and waiver expiry; zero is today
	// (UTC).
	Today time.Time
	// Timeout bounds the evaluation of the rules.
	Timeout time.Duration
	// Memory bounds how far the rules may grow the heap (bytes; 0 for
	// the default).
	Memory int64
	// NoInlineWaivers ignores lambdacheck:ignore comments: on a pull
	// request they are written by the change being judged.
	NoInlineWaivers bool
	// Baseline accepts the findings recorded in it; WriteBaseline records
	// the current findings (then they do not fail this run).
	Baseline      string
	WriteBaseline string
}

// Judgement is the judged run: the findings (waived ones marked), the
// rules that produced them and where their files are.
type Judgement struct {
	Findings  []rules.Finding
	Rules     []rules.Rule
	Threshold rules.Threshold
	// Input is the path judged (see InputPath); SourceDir is the directory
	// finding files are relative to.
	Input     string
	SourceDir string
}

// Failing are the unwaived findings at or above the threshold.
func (j *Judgement) Failing() []rules.Finding { return rules.Failing(j.Findings, j.Threshold) }

// RuleOptions is the built-in rule set plus custom rule directories.
func RuleOptions(dirs []string) rules.Options {
	return rules.Options{Builtin: policies.FS, BuiltinPrefix: "policies", Dirs: dirs}
}

// judgeRun is a loaded rule set with its settings, ready to judge one
// input.
type judgeRun struct {
	engine    *rules.Engine
	settings  *rules.Settings
	threshold rules.Threshold
	today     time.Time
	opts      *JudgeOptions
	notes     []string
}

// prepareJudge reads the settings and compiles the rules before any input
// is loaded, so a broken rule or settings file fails fast.
func prepareJudge(ctx context.Context, o *JudgeOptions, input string) (*judgeRun, error) {
	cfg, err := rules.FindSettings(o.Config, input)
	if err != nil {
		return nil, err
	}
	settings, err := rules.ReadSettings(cfg)
	if err != nil {
		return nil, err
	}
	var notes []string
	if o.Config != "" {
		// The explicit file replaces the one in the tree entirely: none of
		// the in-tree settings (fail_on, ignores, trusted accounts) apply.
		if inTree, _ := rules.FindSettings("", input); inTree != "" && !sameFile(inTree, o.Config) {
			notes = append(notes, fmt.Sprintf("%s is ignored: the settings come from --config %s", inTree, o.Config))
		}
	}
	// An explicit threshold always wins, so settings that the change
	// under review may have written cannot lower the gate.
	failOn := o.FailOn
	if !o.FailOnExplicit && settings.FailOn != "" {
		failOn = settings.FailOn
	}
	threshold, err := rules.ParseThreshold(failOn)
	if err != nil {
		return nil, fmt.Errorf("--%w", err)
	}
	day := o.Today
	if day.IsZero() {
		day = today()
	}
	ropts := RuleOptions(o.Policies)
	ropts.Timeout = o.Timeout
	if o.Memory > 0 {
		ropts.Memory = o.Memory
	}
	engine, err := rules.Load(ctx, ropts)
	if err != nil {
		return nil, err
	}
	return &judgeRun{engine: engine, settings: settings, threshold: threshold, today: day, opts: o, notes: notes}, nil
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}

// run evaluates the rules over a simulated input and applies inline
// waivers, settings ignores and the baseline, and writes WriteBaseline.
func (jr *judgeRun) run(ctx context.Context, res *Result, input, orgID string, converted *rules.ConvertedInventory) error {
	findings, err := jr.engine.Evaluate(ctx, rules.Input{
		Converted:       converted,
		Inventory:       res.Inventory,
		Flows:           res.Flows.Flows,
		Facts:           res.Flows.Facts,
		TrustedAccounts: jr.settings.TrustedAccounts,
		Accounts:        jr.settings.Accounts,
		OrgID:           orgID,
		Today:           jr.today,
	})
	if err != nil {
		return err
	}
	if !jr.opts.NoInlineWaivers {
		res.Warnings = append(res.Warnings, rules.ApplyInline(findings, res.Inventory.Waivers)...)
	}
	res.Warnings = append(res.Warnings, jr.settings.ApplyIgnores(findings, jr.today)...)
	if jr.opts.Baseline != "" {
		b, err := rules.ReadBaseline(jr.opts.Baseline)
		if err != nil {
			return err
		}
		if stale := b.Apply(findings); stale > 0 {
			res.Messages = append(res.Messages, Message{Kind: "note", Text: fmt.Sprintf("%d baseline entr(ies) in %s no longer match a finding; rewrite it with --write-baseline to drop them", stale, jr.opts.Baseline)})
		}
	}
	if jr.opts.WriteBaseline != "" {
		if err := rules.WriteBaselineFile(jr.opts.WriteBaseline, findings); err != nil {
			return err
		}
		b, err := rules.ReadBaseline(jr.opts.WriteBaseline)
		if err != nil {
			return err
		}
		b.Apply(findings)
		res.Messages = append(res.Messages, Message{Text: fmt.Sprintf("wrote %d accepted finding(s) to %s", len(b.Findings), jr.opts.WriteBaseline)})
	}
	res.Judgement = &Judgement{
		Findings:  findings,
		Rules:     jr.engine.Rules(),
		Threshold: jr.threshold,
		Input:     input,
		SourceDir: SourceDir(input, res.Inventory),
	}
	return nil
}

// SourceDir is the directory finding files are relative to: the Terraform
// directory given, or for a snapshot the directory it was collected from.
func SourceDir(input string, inv *inventory.Inventory) string {
	if kind, err := Detect(input); err == nil && kind == KindTerraform {
		return input
	}
	if inv != nil && inv.Source.Kind == "terraform" && inv.Source.Path != "" {
		return inv.Source.Path
	}
	return filepath.Dir(input)
}
