package rules_test

import (
	"context"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/fixtures/gen/estate"
)

// estateRun simulates the generated 1,000-function estate once.
func estateRun(b *testing.B) fixtureRun {
	return estateRunWith(b, estate.Options{Functions: 1000})
}

func estateRunWith(b *testing.B, opt estate.Options) fixtureRun {
	b.Helper()
	dir := b.TempDir()
	if _, err := estate.Write(dir, opt); err != nil {
		b.Fatal(err)
	}
	return simulateFixture(b, dir)
}

// BenchmarkRulesBroadEstate is the Rego stage alone on an estate whose
// roles carry broad grants (aggregated reach, many chains and loops).
//
// "projected" is how the built-in rules run (the input members they name);
// "whole" converts the whole input, as with a rule of the user's loaded.
func BenchmarkRulesBroadEstate(b *testing.B) {
	run := estateRunWith(b, estate.Options{Functions: 1000, Broad: true})
	builtin := builtinEngine(b)
	b.Logf("%d functions, %d flows", len(run.inv.Functions), len(run.flows))
	for _, c := range []struct {
		name string
		e    *rules.Engine
	}{{"projected", builtin}, {"whole", builtin.WholeInput()}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				fs, err := c.e.Evaluate(context.Background(), rules.Input{Inventory: run.inv, Flows: run.flows, Facts: run.facts, Today: fixtureDay})
				if err != nil {
					b.Fatal(err)
				}
				n = len(fs)
			}
			b.ReportMetric(float64(n), "findings")
		})
	}
}

// BenchmarkRulesEstate is what the rules add to `simulate` on the
// 1,000-function estate: converting the input once and evaluating every
// built-in rule in one pass. Target: ≤ 1 s.
func BenchmarkRulesEstate(b *testing.B) {
	run := estateRun(b)
	e := builtinEngine(b)
	b.Logf("%d functions, %d flows", len(run.inv.Functions), len(run.flows))
	b.ReportAllocs()
	b.ResetTimer()
	var n int
	for b.Loop() {
		fs, err := e.Evaluate(context.Background(), rules.Input{Inventory: run.inv, Flows: run.flows, Facts: run.facts, Today: fixtureDay})
		if err != nil {
			b.Fatal(err)
		}
		n = len(fs)
	}
	b.ReportMetric(float64(n), "findings")
}

// BenchmarkRulesEstateInput is the input conversion alone.
func BenchmarkRulesEstateInput(b *testing.B) {
	run := estateRun(b)
	in := rules.Input{Inventory: run.inv, Flows: run.flows, Facts: run.facts, Today: fixtureDay}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := in.Value(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRulesLoad is compiling the built-in rule set.
func BenchmarkRulesLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		builtinEngine(b)
	}
}

// BenchmarkRulesAddedToSimulate is everything `simulate` does for the rules
// on the 1,000-function estate: compile the built-in rules, convert the
// input, evaluate, and apply the inline waivers the loader found.
func BenchmarkRulesAddedToSimulate(b *testing.B) {
	dir := b.TempDir()
	if _, err := estate.Write(dir, estate.Options{Functions: 1000}); err != nil {
		b.Fatal(err)
	}
	run := simulateFixture(b, dir)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e := builtinEngine(b)
		fs, err := e.Evaluate(context.Background(), rules.Input{Inventory: run.inv, Flows: run.flows, Facts: run.facts, Today: fixtureDay})
		if err != nil {
			b.Fatal(err)
		}
		rules.ApplyInline(fs, run.inv.Waivers)
	}
}
