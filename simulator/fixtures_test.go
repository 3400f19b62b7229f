package simulator

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

var update = flag.Bool("update", false, "rewrite the golden flow summaries in testdata/golden")

// fixtureApps lists the Terraform applications under fixtures/.
func fixtureApps(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("../fixtures/*")
	if err != nil {
		t.Fatal(err)
	}
	var apps []string
	for _, d := range dirs {
		if tf, _ := filepath.Glob(filepath.Join(d, "*.tf")); len(tf) > 0 {
			apps = append(apps, d)
		}
	}
	if len(apps) == 0 {
		t.Fatal("no fixture applications found")
	}
	return apps
}

func simulateFixture(t *testing.T, dir string) *flow.Result {
	t.Helper()
	inv, err := terraform.Load(context.Background(), dir, terraform.Options{Account: "123456789012", Region: "eu-west-1", Catalog: awsref.Default()})
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	res, err := Simulate(context.Background(), inv, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// summary renders flows one per line with their steps and deciding
// statements: small enough to review by hand, exact enough to catch change.
func summary(res *flow.Result) string {
	var b strings.Builder
	for _, f := range res.Flows {
		fmt.Fprintf(&b, "%s %s %s", f.Kind, f.Decision, f.ID)
		if f.Level != "" {
			fmt.Fprintf(&b, " [%s: %s]", f.Level, strings.Join(f.Actions, " "))
		}
		b.WriteString("\n")
		for _, s := range f.Steps {
			fmt.Fprintf(&b, "    %s: %s", s.Decision, s.What)
			var refs []string
			for _, st := range s.Statements {
				ref := fmt.Sprintf("%s:%s#%d", st.Layer, st.Policy, st.Index)
				if !st.Certain {
					ref += " if " + st.Condition
				}
				refs = append(refs, ref)
			}
			if len(refs) > 0 {
				fmt.Fprintf(&b, " <- %s", strings.Join(refs, ", "))
			} else if s.Decision != flow.Allowed {
				fmt.Fprintf(&b, " (%s)", s.Reason)
			}
			b.WriteString("\n")
		}
	}
	for _, u := range res.Unknowns {
		fmt.Fprintf(&b, "unknown %s %s: %s\n", u.Address, u.Field, u.Reason)
	}
	return b.String()
}

func TestFixtureFlowsGolden(t *testing.T) {
	for _, dir := range fixtureApps(t) {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			got := summary(simulateFixture(t, dir))
			path := filepath.Join("testdata", "golden", name+".txt")
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
				t.Fatalf("%v (run go test ./simulator -run TestFixtureFlowsGolden -update)", err)
			}
			if got != string(want) {
				t.Fatalf("flows of %s changed; review and rerun with -update.\n--- got\n%s", name, got)
			}
		})
	}
}

// Each working fixture has all its invocation flows allowed (a function URL
// with AuthType AWS_IAM depends on its callers, so it is conditional), and
// each broken one is reported broken (fixtures/README.md).
func TestFixtureInvocationOutcomes(t *testing.T) {
	broken := map[string]bool{"broken-triggers": true}
	for _, dir := range fixtureApps(t) {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			res := simulateFixture(t, dir)
			n := 0
			for _, f := range flowsOf(res, flow.KindInvoke) {
				n++
				switch {
				case broken[name]:
					if f.Decision != flow.Denied {
						t.Errorf("%s: %s, want denied", f.ID, f.Decision)
					}
				case f.Trigger.Type == "function_url" && f.Trigger.Filter == "auth AWS_IAM":
					if f.Decision != flow.Conditional {
						t.Errorf("%s: %s, want conditional", f.ID, f.Decision)
					}
				case f.Trigger.Type == "function_url":
					// Depends on the URL's creation date (October 2025 rule).
				default:
					if f.Decision != flow.Allowed {
						t.Errorf("%s: %s, want allowed: %+v", f.ID, f.Decision, failingStep(f))
					}
				}
			}
			if n == 0 {
				t.Errorf("%s has no invocation flows", name)
			}
		})
	}
}

// A CloudWatch Logs subscription invokes with the log group's ARN ending
// in ":*"; the flow still names the group by its Terraform address.
func TestLogsSourceNamedByAddress(t *testing.T) {
	res := simulateFixture(t, "../fixtures/stream-analytics")
	found := false
	for _, f := range res.Flows {
		if f.Kind != flow.KindInvoke || f.Trigger.Type != "logs" {
			continue
		}
		found = true
		if got := f.Trigger.Source.Address; got != "aws_cloudwatch_log_group.api_access" {
			t.Errorf("%s: source address %q, want aws_cloudwatch_log_group.api_access", f.ID, got)
		}
		if f.Trigger.Source.File == "" || f.Trigger.Source.Line == 0 {
			t.Errorf("%s: source has no file:line", f.ID)
		}
		if !strings.Contains(f.Title, "aws_cloudwatch_log_group.api_access") {
			t.Errorf("%s: title %q names the ARN", f.ID, f.Title)
		}
	}
	if !found {
		t.Fatal("no logs invocation flow in stream-analytics")
	}
}
