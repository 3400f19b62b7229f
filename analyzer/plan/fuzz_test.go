package plan

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

// FuzzLoad feeds random and mutated plan JSON to the plan reader (without
// configuration): it must not panic, and what it returns must be writable
// as a snapshot.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("../../fixtures/*/plan.json")
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil && len(data) < 40000 {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_lambda_function.f","mode":"managed","type":"aws_lambda_function","name":"f","values":{"function_name":"f"}}]}},"resource_changes":[{"address":"aws_lambda_function.f","change":{"after_unknown":{"role":true}}}],"configuration":{"root_module":{"resources":[{"address":"aws_lambda_function.f","expressions":{"role":{"references":["aws_lambda_function.f.arn","aws_lambda_function.f"]}}}]}}}`))
	f.Add([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"address":"module.a[\"x\"]","resources":[]}]}}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		inv, err := Load(context.Background(), "plan.json", src, Options{})
		if err != nil {
			return
		}
		if err := inventory.Write(discard{}, inv); err != nil {
			t.Fatalf("inventory not writable: %v", err)
		}
		for _, sp := range loc.All(inv) {
			if !sp.Valid() {
				t.Fatalf("span %#v is out of order", sp)
			}
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
