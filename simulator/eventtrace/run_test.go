package eventtrace

import (
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Run traces one event: a batch of one, for the tests.
func Run(inv *inventory.Inventory, res *flow.Result, ev Event, opt Options) *Trace {
	return RunBatch(inv, res, Batch{Events: []Event{ev}, Total: 1}, opt)
}
