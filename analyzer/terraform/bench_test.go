package terraform

import (
	"context"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/fixtures/gen/estate"
)

// BenchmarkLoadEstate loads the generated 1,000-function estate (functions,
// roles, policies, triggers of every kind). Target: ≤ 2 s and ≤ 500 MB.
func BenchmarkLoadEstate(b *testing.B) {
	dir := b.TempDir()
	if _, err := estate.Write(dir, estate.Options{Functions: 1000}); err != nil {
		b.Fatal(err)
	}
	cat := awsref.Default()
	cat.ManagedPolicy("AWSLambdaBasicExecutionRole") // decode the catalog outside the timing
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		inv, err := Load(context.Background(), dir, Options{Catalog: cat})
		if err != nil {
			b.Fatal(err)
		}
		if len(inv.Functions) < 1000 {
			b.Fatalf("%d functions", len(inv.Functions))
		}
	}
}
