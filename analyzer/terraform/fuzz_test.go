package terraform

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// FuzzLoad feeds random bytes and mutated fixture files to the loader as a
// .tf (or .tf.json) file: it must not panic and must finish quickly.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(fixturesDir, "*", "*.tf"))
	more, _ := filepath.Glob(filepath.Join("testdata", "eval", "*", "*.tf"))
	for _, p := range append(seeds, more...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, false)
		}
	}
	for _, dir := range []string{"jsonsyntax", "jsondynamic"} {
		if data, err := os.ReadFile(filepath.Join("testdata", "eval", dir, "main.tf.json")); err == nil {
			f.Add(data, true)
		}
	}
	f.Add([]byte(`resource "aws_lambda_function" "f" { count = 3 function_name = "f${count.index}" }`), false)
	f.Fuzz(func(t *testing.T, src []byte, asJSON bool) {
		dir := t.TempDir()
		name := "main.tf"
		if asJSON {
			name = "main.tf.json"
		}
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		type result struct {
			inv *inventory.Inventory
			err error
		}
		done := make(chan result, 1)
		go func() {
			inv, err := Load(ctx, dir, Options{Catalog: fakeCatalog{}})
			done <- result{inv, err}
		}()
		var inv *inventory.Inventory
		select {
		case r := <-done:
			if r.err != nil {
				return
			}
			inv = r.inv
		case <-time.After(5 * time.Second):
			t.Fatalf("load did not finish in 5s")
		}
		if inv.Schema != inventory.SchemaVersion {
			t.Fatalf("schema %d", inv.Schema)
		}
	})
}
