package pipeline

import (
	"context"
	"fmt"

	"github.com/lambdacheck/lambdacheck/analyzer/diff"
	"github.com/lambdacheck/lambdacheck/analyzer/gitrev"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// DiffOptions say which two versions of an application to compare, and
// how to run each (Run's Paths are ignored).
type DiffOptions struct {
	// Base and Head are anything Run loads; with GitBase, Base is Head's
	// path as it was at that Git revision (written to a temporary
	// directory, removed afterwards) and Base is ignored.
	Base, Head string
	GitBase    string
	Run        Options
	// Loaded, when set, is given each side's result and error as soon as
	// it is run (to show its diagnostics); what it returns replaces the
	// error, so it may also stop the comparison.
	Loaded func(*Result, error) error
}

// Comparison is what Diff found: the changes, and head's judgement with
// its new findings alone.
type Comparison struct {
	Diff        *diff.Result
	Head        *Judgement
	NewFindings []rules.Finding
}

// Diff runs and judges both sides and compares them. A side whose live
// inventory cannot back a gate (Result.Refusal) is an error, whatever
// Options.AllowIncomplete says for the run itself.
func Diff(ctx context.Context, o DiffOptions) (*Comparison, error) {
	base, baseLoad := o.Base, o.Run.Load
	if o.GitBase != "" {
		tree, err := gitrev.Checkout(ctx, o.Head, o.GitBase)
		if err != nil {
			return nil, fmt.Errorf("--git-base: %w", err)
		}
		defer tree.Remove()
		base = tree.Path
		if baseLoad.Root != "" {
			// The revision is confined to its own repository tree.
			baseLoad.Root = tree.Root
		}
	}
	run := func(path string, load LoadOptions) (*Result, error) {
		opts := o.Run
		opts.Paths, opts.Load = []string{path}, load
		res, err := Run(ctx, opts)
		if o.Loaded != nil {
			err = o.Loaded(res, err)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if res.Refusal != nil {
			// No gate passes on a live inventory that misses what flows
			// come from.
			return nil, fmt.Errorf("%s: %v", path, res.Refusal)
		}
		return res, nil
	}
	baseRes, err := run(base, baseLoad)
	if err != nil {
		return nil, err
	}
	headRes, err := run(o.Head, o.Run.Load)
	if err != nil {
		return nil, err
	}
	d := diff.Compare(
		diff.Side{Flows: baseRes.Flows, Findings: baseRes.Judgement.Findings},
		diff.Side{Flows: headRes.Flows, Findings: headRes.Judgement.Findings},
	)
	c := &Comparison{Diff: d, Head: headRes.Judgement, NewFindings: make([]rules.Finding, len(d.New))}
	for i, n := range d.New {
		c.NewFindings[i] = n.Finding
	}
	return c, nil
}
