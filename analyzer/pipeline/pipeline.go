// Package pipeline runs lambdacheck's stages as one call: load the inputs
// (Terraform directories, snapshots, a live account), merge them into one
// inventory, simulate every flow and judge the result with the rules. The
// runs built on it are here too: two versions compared (Diff) and one
// event followed through the flows (Trace); so are the checks of the rule
// settings (JudgeSettings), the gate's verdict (Judgement.Gate), the rule
// list and the rules' Rego tests with the built-in set.
//
// Place: it is the spine of source → inventory → flows → findings; the
// report package turns its Result into output and the command line only
// wires flags to Options. Nothing here prints: notes and warnings are
// returned in the Result for the caller to show.
package pipeline

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/simulator"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Options say what to load, how to simulate it and how to judge it.
type Options struct {
	// Paths are Terraform directories and snapshot files; several are
	// merged into one inventory.
	Paths []string
	Load  LoadOptions
	// Live, when set, reads a further inventory (a live account) that is
	// merged with the paths' inventory. Its errors are returned as they
	// are, so a caller can tell an interruption from a failure.
	Live func(context.Context) (*inventory.Inventory, error)
	// MaxDepth is the longest chain reported, in functions.
	MaxDepth int
	// OrgID is the organization of the application's accounts; empty
	// takes org_id from the settings when the run is judged.
	OrgID string
	// Judge, when set, runs the rules over the flows.
	Judge *JudgeOptions
	// AllowIncomplete accepts a live inventory that cannot back a gate
	// (nothing collected, or a service flows come from not read): Result's
	// Refusal stays nil and a message says what was accepted.
	AllowIncomplete bool
	// WhileJudging, when set, is called with the simulated flows and runs
	// concurrently with the rules (to prepare output that does not depend
	// on the findings). Run waits for it before returning.
	WhileJudging func(*flow.Result)
	// Progress, when set, is told as each stage starts and advances:
	// "load" (paths read of total; total 0 for one path, which has no
	// measure), "simulate" (functions decided of total) and "judge"
	// (total 0). Called from one goroutine
	// at a time, for a progress display.
	Progress func(stage string, done, total int)
}

func (o *Options) progress(stage string, done, total int) {
	if o.Progress != nil {
		o.Progress(stage, done, total)
	}
}

// Result is what a run found. On an error, the parts already computed are
// returned with it (Notes, Inventory, Warnings), so a caller can still
// show them.
type Result struct {
	// Inventory holds the load diagnostics (Diags) beside the items.
	Inventory *inventory.Inventory
	// Flows holds the values the simulation could not resolve (Unknowns)
	// beside the flows.
	Flows *flow.Result
	// Judgement is nil unless Options.Judge was set.
	Judgement *Judgement
	// Completeness is the verdict on how much of the live accounts the
	// inventory covers (not Live for Terraform and schema 1 snapshots).
	Completeness inventory.Completeness
	// Refusal, when not nil, says why no gate may pass on this inventory;
	// the flows and findings are still computed, so a caller can show them
	// before failing with it.
	Refusal error
	// Notes are remarks about the settings, known before the input loads.
	Notes []string
	// Warnings are remarks from judging (lapsed or unexplained waivers);
	// Messages are further lines about the baseline, already phrased.
	Warnings []string
	Messages []Message
}

// Message is a line to show the user, with its kind ("note" or "" for a
// plain statement).
type Message struct {
	Kind string
	Text string
}

// Run loads, merges, simulates and (with Options.Judge) judges. Steps that
// do not depend on each other overlap: the rules compile while the input
// loads, and the inventory is converted for the rules while the flows are
// simulated.
func Run(ctx context.Context, opts Options) (*Result, error) {
	var judge *judgeRun
	var judgeErr error
	var preparing sync.WaitGroup
	if opts.Judge != nil {
		preparing.Go(func() { judge, judgeErr = prepareJudge(ctx, opts.Judge, InputPath(opts.Paths)) })
	}
	inv, err := loadAll(ctx, opts)
	preparing.Wait()
	if judgeErr != nil {
		return nil, judgeErr
	}
	res := &Result{}
	if judge != nil {
		res.Notes = judge.notes
	}
	if err != nil {
		return res, err
	}
	res.Inventory = inv
	res.gateCompleteness(opts.AllowIncomplete)
	orgID := opts.OrgID
	if orgID == "" && judge != nil {
		orgID = judge.settings.OrgID
	}
	var converted *rules.ConvertedInventory
	var converting sync.WaitGroup
	if judge != nil {
		converting.Go(func() { converted = judge.engine.ConvertInventory(inv) })
	}
	opts.progress("simulate", 0, len(inv.Functions))
	flows, err := simulator.Simulate(ctx, inv, simulator.Options{MaxDepth: opts.MaxDepth, OrgID: orgID, Progress: func(done, total int) {
		opts.progress("simulate", done, total)
	}})
	converting.Wait()
	if err != nil {
		return res, err
	}
	res.Flows = flows
	if judge == nil {
		if opts.WhileJudging != nil {
			opts.WhileJudging(flows)
		}
		return res, nil
	}
	var preparingOutput sync.WaitGroup
	if opts.WhileJudging != nil {
		preparingOutput.Go(func() { opts.WhileJudging(flows) })
	}
	opts.progress("judge", 0, 0)
	err = judge.run(ctx, res, InputPath(opts.Paths), orgID, converted)
	preparingOutput.Wait()
	return res, err
}

// gateCompleteness judges the inventory's coverage: a message when it is
// incomplete, and the refusal unless allowIncomplete (then a message names
// what was accepted).
func (res *Result) gateCompleteness(allowIncomplete bool) {
	c := res.Inventory.Completeness()
	res.Completeness = c
	if s := c.Summary(); s != "" {
		res.Messages = append(res.Messages, Message{Text: s})
	}
	if len(c.Blocking) > 0 && allowIncomplete {
		res.Messages = append(res.Messages, Message{Text: "accepted with --allow-incomplete: " + strings.Join(c.Blocking, "; ")})
	}
	res.Refusal = c.Refusal(allowIncomplete)
}

// loadAll reads the live account (if asked) and the paths, and merges them.
func loadAll(ctx context.Context, opts Options) (*inventory.Inventory, error) {
	var invs []*inventory.Inventory
	if opts.Live != nil {
		inv, err := opts.Live(ctx)
		if err != nil {
			return nil, err
		}
		invs = append(invs, inv)
	}
	if len(opts.Paths) > 0 {
		// One path has no measure of its own: the stage is a spinner.
		total := len(opts.Paths)
		if total == 1 {
			total = 0
		}
		opts.progress("load", 0, total)
		lo := opts.Load
		lo.Loaded = func(done int) { opts.progress("load", done, total) }
		inv, err := Load(ctx, opts.Paths, lo)
		if err != nil {
			return nil, err
		}
		invs = append(invs, inv)
	}
	return Merge(invs)
}

// InputPath is the path the rules' settings, inline waivers and SARIF
// locations are relative to: the one path given, or the working directory
// when several are merged (their files are rebased on it) or none (a live
// account).
func InputPath(paths []string) string {
	if len(paths) == 1 && paths[0] != StdinPath {
		return paths[0]
	}
	return "."
}

// today is the default date of a judged run.
func today() time.Time { return time.Now().UTC() }
