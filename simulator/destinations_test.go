package simulator

import (
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Async destinations that could not be read are an unknown destination
// flow naming why, not an absence: a function with none read and none
// unknown has no destination flow.
func TestUnknownAsyncDestinations(t *testing.T) {
	fn := function("worker", "worker")
	inv := &inventory.Inventory{Functions: []inventory.Function{fn}, Roles: []inventory.Role{role("worker")}}
	for _, f := range simulate(t, inv).Flows {
		if f.Purpose == "destination" {
			t.Fatalf("destination flow without a reason: %+v", f)
		}
	}
	inv.Functions[0].Unknown = []inventory.Unknown{{Field: "async_configs", Reason: "lambda:ListFunctionEventInvokeConfigs denied"}}
	var found bool
	for _, f := range simulate(t, inv).Flows {
		if f.Kind == flow.KindAccess && f.Purpose == "destination" {
			found = f.Decision == flow.Unknown && len(f.Steps) == 1 && strings.Contains(f.Steps[0].Reason, "lambda:ListFunctionEventInvokeConfigs denied")
		}
	}
	if !found {
		t.Fatal("no unknown destination flow naming the denied call")
	}
}
