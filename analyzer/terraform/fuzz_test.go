package terraform

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

// FuzzLoad feeds random bytes and mutated fixture files to the loader as a
// .tf (or .tf.json) file: it must not panic and must finish quickly.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(fixturesDir, "*", "*.tf"))
	more, _ := filepath.Glob(filepath.Join("testdata", "eval", "*", "*.tf"))
	triggers, _ := filepath.Glob(filepath.Join(fixturesDir, "triggers", "*", "*.tf"))
	for _, p := range append(append(seeds, more...), triggers...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, false)
		}
	}
	for _, dir := range []string{"jsonsyntax", "jsondynamic", "jsondynamic-invalid"} {
		if data, err := os.ReadFile(filepath.Join("testdata", "eval", dir, "main.tf.json")); err == nil {
			f.Add(data, true)
		}
	}
	f.Add([]byte(listenerSource), false)
	f.Add([]byte(`resource "aws_lambda_function" "f" { count = 3 function_name = "f${count.index}" }`), false)
	f.Add([]byte(`locals { n = [for a in range(1024) : [for b in range(a) : [for c in range(a) : c]]] }`), false)
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
		for _, sp := range loc.All(inv) {
			if !sp.Valid() {
				t.Fatalf("span %#v is out of order", sp)
			}
		}
	})
}

// FuzzLoadOverride loads a primary file with an override file (native or
// JSON) beside it: merging must not panic and must finish quickly.
func FuzzLoadOverride(f *testing.F) {
	read := func(p string) []byte { b, _ := os.ReadFile(filepath.Join("testdata", "eval", p)); return b }
	f.Add(read("override/main.tf"), read("override/override.tf"), false)
	f.Add(read("override/main.tf"), read("override/zz_override.tf.json"), true)
	f.Add(read("override-missing/main.tf"), read("override-missing/jobs_override.tf"), false)
	f.Add([]byte(`locals { a = 1 }`), []byte(`locals { a = 2 }`), false)
	f.Fuzz(func(t *testing.T, base, over []byte, overJSON bool) {
		dir := t.TempDir()
		name := "override.tf"
		if overJSON {
			name = "override.tf.json"
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), base, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), over, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done := make(chan struct{})
		go func() {
			defer close(done)
			Load(ctx, dir, Options{Catalog: fakeCatalog{}})
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("load did not finish in 5s")
		}
	})
}
