package awsapi

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/catalog"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

var update = flag.Bool("update", false, "rewrite golden snapshots")

func collectFake(t *testing.T, dir string, opts Options) (*inventory.Inventory, *fakeAWS) {
	t.Helper()
	f := newFakeAWS(t, dir)
	if opts.Catalog == nil {
		opts.Catalog = catalog.Default()
	}
	inv, err := Collect(context.Background(), f.config("eu-west-1"), opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	f.check()
	return inv, f
}

func golden(t *testing.T, path string, inv *inventory.Inventory) {
	t.Helper()
	var buf bytes.Buffer
	if err := inventory.Write(&buf, inv); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		got := filepath.Join(t.TempDir(), filepath.Base(path))
		os.WriteFile(got, buf.Bytes(), 0o644)
		t.Fatalf("snapshot differs from %s (got %s; run with -update after checking)", path, got)
	}
}

func TestCollectEventPipelineGolden(t *testing.T) {
	inv, f := collectFake(t, "testdata/event-pipeline", Options{AllRegions: true, Concurrency: 4})
	golden(t, "testdata/event-pipeline/golden.json", inv)

	// The first ListFunctions was throttled and retried.
	if n := f.calls["Lambda.ListFunctions"]; n < 3 {
		t.Errorf("Lambda ListFunctions answered %d times, want the throttled attempt, its retry and page 2", n)
	}
	// Environment values are never stored, keys and the secret flag are.
	data, _ := os.ReadFile("testdata/event-pipeline/golden.json")
	if bytes.Contains(data, []byte("tok_9f8e7d6c5b4a3f2e1d0cEXAMPLE")) || bytes.Contains(data, []byte("https://sqs.eu-west-1.amazonaws.com/123456789012/acme-pipeline-work\"\n        }")) {
		t.Error("an environment variable value reached the snapshot")
	}
	var secret bool
	for _, fn := range inv.Functions {
		for _, e := range fn.Environment {
			if e.Key == "REPORT_API_TOKEN" {
				secret = e.LooksSecret
			}
		}
	}
	if !secret {
		t.Error("REPORT_API_TOKEN holds a literal token and must be flagged as looking secret")
	}
	// The member account cannot read SCPs: one warning naming the permission.
	var orgWarn bool
	for _, w := range inv.Warnings {
		if w.Service == "Organizations" && w.Permission == "organizations:ListParents" && w.Code == "AccessDeniedException" {
			orgWarn = true
		}
	}
	if !orgWarn {
		t.Errorf("want an Organizations ListParents warning, got %+v", inv.Warnings)
	}
	// Service-linked roles are left out.
	for _, r := range inv.Roles {
		if strings.Contains(r.Path, "aws-service-role") {
			t.Errorf("service-linked role %s collected", r.ARN)
		}
	}
}
