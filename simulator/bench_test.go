package simulator

import (
	"context"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/fixtures/gen/estate"
)

// BenchmarkSimulateEstate simulates the generated 1,000-function estate
// (loading it is measured by the loader's own benchmark).
func BenchmarkSimulateEstate(b *testing.B) {
	benchSimulate(b, estate.Options{Functions: 1000})
}

// BenchmarkSimulateBroadEstate simulates an estate whose roles carry the
// broad grants real estates have (managed policies on "*").
func BenchmarkSimulateBroadEstate(b *testing.B) {
	benchSimulate(b, estate.Options{Functions: 1000, Broad: true})
}

func benchSimulate(b *testing.B, opt estate.Options) {
	dir := b.TempDir()
	if _, err := estate.Write(dir, opt); err != nil {
		b.Fatal(err)
	}
	inv, err := terraform.Load(context.Background(), dir, terraform.Options{Catalog: awsref.Default()})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := Simulate(context.Background(), inv, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Flows)), "flows")
	}
}
