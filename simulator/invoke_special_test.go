package simulator

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// roleTriggerKinds are the fixture pairs under fixtures/triggers of the
// role-based and special invocation paths: KIND-ok works, KIND-broken does
// not.
var roleTriggerKinds = []string{"rds", "firehose", "codepipeline", "appsync", "pipes", "cloudfront", "s3-object-lambda", "cloudformation", "kafka", "docdb"}

// triggerType is the flow trigger type each fixture pair exercises.
var triggerType = map[string]string{"s3-object-lambda": "s3_object_lambda"}

func TestRoleTriggerFixturesGolden(t *testing.T) {
	for _, kind := range roleTriggerKinds {
		for _, variant := range []string{"ok", "broken"} {
			name := kind + "-" + variant
			t.Run(name, func(t *testing.T) {
				got := summary(simulateFixture(t, filepath.Join("..", "fixtures", "triggers", name)))
				path := filepath.Join("testdata", "golden", "triggers", name+".txt")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./simulator -run TestRoleTriggerFixturesGolden -update)", err)
				}
				if got != string(want) {
					t.Fatalf("flows of %s changed; review and rerun with -update.\n--- got\n%s", name, got)
				}
			})
		}
	}
}

// Every invocation flow of the kind's type is allowed (or, for S3 Object
// Lambda, conditional on the caller) in KIND-ok, and at least one is denied
// in KIND-broken.
func TestRoleTriggerFixtureOutcomes(t *testing.T) {
	for _, kind := range roleTriggerKinds {
		typ := kind
		if v, ok := triggerType[kind]; ok {
			typ = v
		}
		for _, variant := range []string{"ok", "broken"} {
			name := kind + "-" + variant
			t.Run(name, func(t *testing.T) {
				res := simulateFixture(t, filepath.Join("..", "fixtures", "triggers", name))
				var flows []flow.Flow
				for _, f := range res.Flows {
					if f.Kind == flow.KindInvoke && f.Trigger.Type == typ {
						flows = append(flows, f)
					}
				}
				if len(flows) == 0 {
					t.Fatalf("no %s invocation flow", typ)
				}
				denied := false
				for _, f := range flows {
					switch {
					case variant == "ok" && f.Decision != flow.Allowed && !(typ == "s3_object_lambda" && f.Decision == flow.Conditional):
						t.Errorf("%s: %s: %+v", f.ID, f.Decision, failingStep(f))
					case f.Decision == flow.Denied:
						denied = true
					}
				}
				if variant == "broken" && !denied {
					t.Errorf("no denied %s flow: %+v", typ, flows)
				}
			})
		}
	}
}

// The Aurora role's policies choose the functions: only the one it may
// invoke gets a flow.
func TestRDSFlowsPerAllowedFunction(t *testing.T) {
	res := simulateFixture(t, "../fixtures/triggers/rds-ok")
	var ids []string
	for _, f := range res.Flows {
		if f.Kind == flow.KindInvoke && f.Trigger.Type == "rds" {
			ids = append(ids, f.ID)
		}
	}
	want := []string{"invoke/aws_rds_cluster_role_association.lambda->aws_lambda_function.audit"}
	if !slices.Equal(ids, want) {
		t.Fatalf("rds flows = %v, want %v", ids, want)
	}
}

// Each failed Lambda@Edge condition is its own denied step with its reason.
func TestEdgeConditionsDenied(t *testing.T) {
	res := simulateFixture(t, "../fixtures/triggers/cloudfront-broken")
	var reasons []string
	for _, f := range res.Flows {
		if f.Kind != flow.KindInvoke || f.Trigger.Type != "cloudfront" {
			continue
		}
		for _, s := range f.Steps {
			if s.Decision == flow.Denied {
				reasons = append(reasons, s.What+": "+s.Reason)
			}
		}
	}
	joined := strings.Join(reasons, "\n")
	for _, want := range []string{"is in eu-west-1", "$LATEST", "edgelambda.amazonaws.com"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no denied step says %q:\n%s", want, joined)
		}
	}
}
