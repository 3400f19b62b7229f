package pipeline

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// JudgeSettings are the rule-stage settings as a user writes them (a date
// as YYYY-MM-DD, memory in MiB); Options checks them and makes the
// JudgeOptions of a run.
type JudgeSettings struct {
	FailOn string
	// FailOnExplicit makes FailOn win over fail_on in the settings file.
	FailOnExplicit  bool
	Policies        []string
	Config          string
	Today           string
	Timeout         time.Duration
	MemoryMiB       int64
	NoInlineWaivers bool
	Baseline        string
	WriteBaseline   string
}

// DefaultJudgeSettings are the settings of a run given none.
func DefaultJudgeSettings() JudgeSettings {
	return JudgeSettings{FailOn: "high", Timeout: rules.DefaultTimeout, MemoryMiB: rules.DefaultMemory >> 20}
}

// Options checks the settings and turns them into JudgeOptions.
func (s JudgeSettings) Options() (*JudgeOptions, error) {
	o := &JudgeOptions{
		Policies:        s.Policies,
		Config:          s.Config,
		FailOn:          s.FailOn,
		FailOnExplicit:  s.FailOnExplicit,
		Timeout:         s.Timeout,
		NoInlineWaivers: s.NoInlineWaivers,
		Baseline:        s.Baseline,
		WriteBaseline:   s.WriteBaseline,
	}
	if s.Today != "" {
		day, err := time.Parse(time.DateOnly, s.Today)
		if err != nil {
			return nil, fmt.Errorf("--today %q: want YYYY-MM-DD", s.Today)
		}
		o.Today = day
	}
	if s.Timeout <= 0 {
		return nil, fmt.Errorf("--rule-timeout %s: want a positive duration", s.Timeout)
	}
	if s.MemoryMiB <= 0 || s.MemoryMiB > 1<<30 {
		return nil, fmt.Errorf("--rule-memory %d: want a positive number of MiB", s.MemoryMiB)
	}
	o.Memory = s.MemoryMiB << 20
	return o, nil
}

// Gate is the verdict of a judged run: an error naming the count of
// unwaived findings at or above the threshold, by severity, or nil when
// there is none.
func (j *Judgement) Gate() error {
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
	return fmt.Errorf("%d finding(s) at or above --fail-on %s (%s)", len(failing), j.Threshold, strings.Join(parts, ", "))
}

// CheckDepth checks a MaxDepth.
func CheckDepth(depth int) error {
	if depth < 1 {
		return fmt.Errorf("--depth %d: want at least 1 (functions in the longest chain)", depth)
	}
	return nil
}

// Rules are the rules a run evaluates: the built-in set and those in dirs.
func Rules(ctx context.Context, dirs []string) ([]rules.Rule, error) {
	eng, err := rules.Load(ctx, RuleOptions(dirs))
	if err != nil {
		return nil, err
	}
	return eng.Rules(), nil
}

// DefaultPaths is the paths given, or the current directory when none is.
func DefaultPaths(paths []string) []string {
	if len(paths) == 0 {
		return []string{"."}
	}
	return paths
}

// TestRules runs the Rego unit tests of the rule directories dirs, whose
// package.name matches filter; without dirs, those of the built-in rules.
// The built-in rules and helpers (without their tests) load beside dirs,
// so custom rules may import data.lambdacheck.lib as in a run.
func TestRules(ctx context.Context, dirs []string, filter string) ([]rules.TestResult, error) {
	mods, err := rules.ReadModules(RuleOptions(nil), len(dirs) == 0)
	if err != nil {
		return nil, err
	}
	if len(dirs) > 0 {
		user, err := rules.ReadModules(rules.Options{Dirs: dirs}, true)
		if err != nil {
			return nil, err
		}
		mods = append(mods, user...)
	}
	return rules.RunTests(ctx, mods, filter)
}

// RuleTestsVerdict is an error when no test ran or one failed, nil when
// every test passed (or was skipped).
func RuleTestsVerdict(res []rules.TestResult) error {
	failed := 0
	for _, r := range res {
		if !r.Pass && !r.Skip {
			failed++
		}
	}
	if len(res) == 0 {
		return fmt.Errorf("no test_ rules found")
	}
	if failed > 0 {
		return fmt.Errorf("%d Rego test(s) failed", failed)
	}
	return nil
}
