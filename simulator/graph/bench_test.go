package graph

import (
	"context"
	"fmt"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/fixtures/gen/estate"
	"github.com/lambdacheck/lambdacheck/simulator"
)

// BenchmarkBuildEstate builds the graph of generated estates; the load and
// the simulation are set-up, only Build is timed.
func BenchmarkBuildEstate(b *testing.B) {
	for _, n := range []int{20, 1000} {
		b.Run(fmt.Sprintf("functions=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := estate.Write(dir, estate.Options{Functions: n}); err != nil {
				b.Fatal(err)
			}
			inv, err := terraform.Load(context.Background(), dir, terraform.Options{Catalog: awsref.Default()})
			if err != nil {
				b.Fatal(err)
			}
			res, err := simulator.Simulate(context.Background(), inv, simulator.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				g, err := Build(res, inv, Options{})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(g.Edges)), "edges")
			}
		})
	}
}
