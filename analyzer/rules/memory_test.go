package rules

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRuleMemoryBudgetStopsEvaluationAndNamesTheRule(t *testing.T) {
	head := "# METADATA\n# title: T\n# custom:\n#   id: U101\n#   short_code: greedy\n#   severity: high\npackage lambdacheck.rules.greedy\n\n"
	doubling := "deny contains \"x\" if {\n\ts0 := \"xxxxxxxxxxxxxxxx\"\n"
	for i := 1; i <= 34; i++ {
		doubling += "\ts" + itoa(i) + " := concat(\"\", [s" + itoa(i-1) + ", s" + itoa(i-1) + "])\n"
	}
	doubling += "\tcount(s34) > 0\n}\n"
	cases := []struct {
		name, body string
		wantErr    bool
	}{
		{"huge range", "deny contains \"x\" if count(numbers.range(1, 300000000)) > 0\n", true},
		{"huge comprehension", "deny contains \"x\" if count([sprintf(\"%d\", [i]) | some i in numbers.range(1, 300000000)]) > 0\n", true},
		{"doubling string", doubling, true},
		{"small rule", "deny contains \"x\" if count(numbers.range(1, 1000)) > 0\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "greedy.rego")
			if err := os.WriteFile(file, []byte(head+c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			// The timeout is far away: only the memory budget can end these.
			e, err := Load(context.Background(), Options{Dirs: []string{dir}, Timeout: 10 * time.Minute, Memory: 64 << 20})
			if err != nil {
				t.Fatal(err)
			}
			fs, err := e.Evaluate(context.Background(), Input{Inventory: testInventory(), Flows: testFlows(), Today: today})
			if !c.wantErr {
				if err != nil || len(fs) != 1 {
					t.Fatalf("findings %v, err %v", fs, err)
				}
				return
			}
			if err == nil {
				t.Fatal("want a memory budget error")
			}
			for _, want := range []string{file + ":9:", "U101", "rule memory budget of 64 MiB", "--rule-memory"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

func TestRuleMemoryDefault(t *testing.T) {
	e := loadTestEngine(t)
	if e.memory != DefaultMemory || e.WithMemory(0).memory != DefaultMemory || e.WithMemory(1<<20).memory != 1<<20 {
		t.Errorf("memory budgets %d, %d", e.memory, e.WithMemory(0).memory)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestRuleTestsStopAtTheMemoryBudget(t *testing.T) {
	src := "package lambdacheck.rules.greedy_test\n\ntest_small if count(numbers.range(1, 10)) == 10\n\ntest_greedy if count(numbers.range(1, 300000000)) > 0\n"
	mods := []Module{{Name: "greedy_test.rego", Source: []byte(src)}}
	_, err := RunTestsWithin(context.Background(), mods, "", 64<<20)
	if err == nil {
		t.Fatal("want a memory budget error")
	}
	for _, want := range []string{"greedy_test.rego:5:", "test_greedy", "rule memory budget of 64 MiB"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	res, err := RunTestsWithin(context.Background(), mods, "test_small", 64<<20)
	if err != nil || len(res) != 1 || !res[0].Pass {
		t.Fatalf("results %+v, err %v", res, err)
	}
}
