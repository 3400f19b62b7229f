package simulator

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// FuzzSimulateSnapshot simulates mutated snapshots — user input, read from
// files people edit by hand — and must never panic or run away, whatever
// is missing or malformed in them.
func FuzzSimulateSnapshot(f *testing.F) {
	seeds, _ := filepath.Glob("../analyzer/terraform/testdata/golden/*.json")
	more, _ := filepath.Glob("../analyzer/awsapi/testdata/*/golden.json")
	for _, p := range append(seeds, more...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"schema":1,"functions":[{"name":"f","arn":"","role":"x"}],"triggers":[{"kind":"poll","service":"sqs"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := inventory.Decode(data)
		if err != nil {
			return
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			if _, err := Simulate(context.Background(), inv, Options{}); err != nil {
				t.Errorf("simulate: %v", err)
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("simulation did not finish in 10s")
		}
	})
}
