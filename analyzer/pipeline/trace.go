package pipeline

import (
	"context"

	"github.com/lambdacheck/lambdacheck/simulator/eventtrace"
)

// Trace loads and simulates as Run does, without the rules (the trace
// reads the flows only), and follows the events of in through the flows up
// to opts.MaxDepth. The event document "-" is read from opts.Load.Stdin.
// Loaded, when set, is given the run's result before the events are read
// (to show its diagnostics).
func Trace(ctx context.Context, opts Options, in eventtrace.Input, loaded func(*Result)) (*eventtrace.Trace, error) {
	opts.Judge, opts.WhileJudging = nil, nil
	res, err := Run(ctx, opts)
	if err != nil {
		return nil, err
	}
	if loaded != nil {
		loaded(res)
	}
	batch, err := in.Read(opts.Load.Stdin, res.Inventory.Account, res.Inventory.Region)
	if err != nil {
		return nil, err
	}
	return eventtrace.RunBatch(res.Inventory, res.Flows, batch, eventtrace.Options{Depth: opts.MaxDepth}), nil
}
