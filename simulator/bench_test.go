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
	dir := b.TempDir()
	if _, err := estate.Write(dir, estate.Options{Functions: 1000}); err != nil {
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
