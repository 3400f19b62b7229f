package rules

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestResult is the outcome of one Rego test_ rule.
type TestResult struct {
	Package  string        `json:"package"`
	Name     string        `json:"name"`
	File     string        `json:"file"`
	Line     int           `json:"line"`
	Pass     bool          `json:"pass"`
	Skip     bool          `json:"skip,omitempty"`
	Error    string        `json:"error,omitempty"`
	Output   string        `json:"output,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// RunTests runs the test_ rules of the modules (rules and their _test.rego
// files) with OPA's Go tester, so no opa binary is needed. filter, when not
// empty, is a regular expression on package.name. Results are sorted by
// file and line.
func RunTests(ctx context.Context, mods []Module, filter string) ([]TestResult, error) {
	return RunTestsWithin(ctx, mods, filter, DefaultMemory)
}

// RunTestsWithin is RunTests with the tests stopped once they have grown
// the heap by more than memory bytes; the error names the test that was
// running.
func RunTestsWithin(ctx context.Context, mods []Module, filter string, memory int64) ([]TestResult, error) {
	ctx, stopWatch := watchHeap(ctx, memory)
	defer stopWatch()
	parsed, err := ParseModules(mods)
	if err != nil {
		return nil, fmt.Errorf("parse rules: %w", err)
	}
	compiler := ast.NewCompiler().
		WithCapabilities(capabilities()).
		WithDefaultRegoVersion(ast.RegoV1).
		WithEnablePrintStatements(true)
	runner := tester.NewRunner().
		SetCompiler(compiler).
		SetDefaultRegoVersion(ast.RegoV1).
		SetModules(parsed).
		CapturePrintOutput(true).
		SetTimeout(30 * time.Second).
		Filter(filter)
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("run rule tests: %w", regoError(err))
	}
	var out []TestResult
	for r := range ch {
		tr := TestResult{
			Package:  strings.TrimPrefix(r.Package, "data."),
			Name:     r.Name,
			Pass:     r.Pass(),
			Skip:     r.Skip,
			Output:   string(r.Output),
			Duration: r.Duration,
		}
		if r.Location != nil {
			tr.File, tr.Line = r.Location.File, r.Location.Row
		}
		if r.Error != nil {
			tr.Error = r.Error.Error()
		} else if r.Fail {
			// The tester does not say which expression failed; the
			// test's own location (File, Line) is the pointer.
			tr.Error = "a condition of the test is false"
		}
		out = append(out, tr)
	}
	if errors.Is(context.Cause(ctx), errRuleMemory) {
		// The test running when the budget was crossed is the first to
		// fail; the ones after it only saw the cancellation.
		for _, tr := range out {
			if tr.Error != "" {
				return nil, fmt.Errorf("%s:%d: rule test %s grew the heap by more than the rule memory budget of %s",
					tr.File, tr.Line, tr.Name, mib(memory))
			}
		}
		return nil, fmt.Errorf("rule tests grew the heap by more than the rule memory budget of %s", mib(memory))
	}
	slices.SortFunc(out, func(a, b TestResult) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	return out, nil
}
