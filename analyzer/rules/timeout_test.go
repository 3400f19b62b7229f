package rules

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRuleTimeoutStopsEvaluationAndNamesTheRule(t *testing.T) {
	head := "# METADATA\n# title: T\n# custom:\n#   id: U100\n#   short_code: slow\n#   severity: high\npackage lambdacheck.rules.slow\n\n"
	cases := []struct {
		name, body string
		wantErr    bool
	}{
		// The range builtin itself runs for minutes and takes gigabytes.
		{"huge range", "deny contains \"x\" if count(numbers.range(1, 300000000)) > 0\n", true},
		// So does a nest of iterations over small ranges.
		{"nested iterations", "deny contains \"x\" if count([1 | some i in numbers.range(1, 20000); some j in numbers.range(1, 20000)]) > 0\n", true},
		{"fast rule", "deny contains \"x\" if count(numbers.range(1, 1000)) > 0\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "slow.rego")
			if err := os.WriteFile(file, []byte(head+c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			e, err := Load(context.Background(), Options{Dirs: []string{dir}, Timeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			fs, err := e.Evaluate(context.Background(), Input{Inventory: testInventory(), Flows: testFlows(), Today: today})
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("evaluation took %s with a 1s timeout", took)
			}
			if !c.wantErr {
				if err != nil || len(fs) != 1 {
					t.Fatalf("findings %v, err %v", fs, err)
				}
				return
			}
			if err == nil {
				t.Fatal("want a timeout error")
			}
			wants := []string{file + ":9:", "U100", "rule timeout of 1s", "--rule-timeout"}
			if c.name == "huge range" && strings.Contains(err.Error(), "rule memory budget") {
				// The range grows the heap as fast as it runs: the memory
				// budget (memory_test.go) may stop it before the clock.
				wants = []string{file + ":9:", "U100", "--rule-memory"}
			}
			for _, want := range wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

func TestRuleTimeoutDefault(t *testing.T) {
	e := loadTestEngine(t)
	if e.timeout != DefaultTimeout || e.WithTimeout(0).timeout != DefaultTimeout || e.WithTimeout(time.Minute).timeout != time.Minute {
		t.Errorf("timeouts %s, %s", e.timeout, e.WithTimeout(0).timeout)
	}
	if e.timeout != DefaultTimeout {
		t.Error("WithTimeout changed the engine it was called on")
	}
}

func TestCancelledEvaluationIsNotBlamedOnARule(t *testing.T) {
	e := loadTestEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.Evaluate(ctx, Input{Inventory: testInventory(), Flows: testFlows(), Today: today})
	if err == nil || strings.Contains(err.Error(), "rule timeout") {
		t.Fatalf("err = %v, want a cancellation error", err)
	}
}
