package simulator

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// The applications under testdata/unresolved are scanned as CI scans real
// Terraform: no -var, no terraform init, no build artifacts. Their flows
// are golden; every invocation flow is linked to its function, and none is
// decided by a value nobody knows (an unknown names what it waits for).
func TestUnresolvedAppsGolden(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("testdata", "unresolved", "*"))
	if len(dirs) < 4 {
		t.Fatalf("found %d applications", len(dirs))
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			inv, err := terraform.Load(context.Background(), dir, terraform.Options{Catalog: awsref.Default()})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range inv.Diags {
				if d.Severity == "error" {
					t.Errorf("load error (the run would exit 2): %s:%d %s: %s", d.File, d.Line, d.Summary, d.Detail)
				}
			}
			res, err := Simulate(context.Background(), inv, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range flowsOf(res, flow.KindInvoke) {
				if name != "registry-module" && f.Trigger.Function.Address == "" {
					t.Errorf("%s: trigger not linked to its function", f.ID)
				}
				if f.Decision == flow.Denied {
					t.Errorf("%s: a working trigger is denied: %+v", f.ID, failingStep(f))
				}
			}
			got := summary(res)
			path := filepath.Join("testdata", "golden", "unresolved-"+name+".txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./simulator -run TestUnresolvedAppsGolden -update)", err)
			}
			if got != string(want) {
				t.Fatalf("flows of %s changed; review and rerun with -update.\n--- got\n%s", name, got)
			}
		})
	}
}
